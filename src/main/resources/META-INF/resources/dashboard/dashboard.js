// The KPI Ledger dashboard: every figure comes from the public KPI API (docs/dashboard.md maps each one), so the page
// can never show a number that the API, and therefore an audit verification, would not give for the same question.

const CARDS = [
    {key: 'spend', label: 'Spend', kind: 'money'},
    {key: 'leads', label: 'Leads', kind: 'count'},
    {key: 'mqls', label: 'MQLs', kind: 'count'},
    {key: 'sqls', label: 'SQLs', kind: 'count'},
    {key: 'customers', label: 'Customers', kind: 'count'},
    {key: 'cpl', label: 'Cost per lead', kind: 'money'},
    {key: 'cac', label: 'CAC', kind: 'money'},
    {key: 'avgLtv', label: 'Average LTV', kind: 'money'},
    {key: 'ltvToCac', label: 'LTV:CAC', kind: 'ratio'},
    {key: 'roi', label: 'ROI', kind: 'rate'},
    {key: 'roas', label: 'ROAS', kind: 'ratio'},
];
const STAGE_LABELS = {LEAD: 'Leads', MQL: 'MQLs', SQL: 'SQLs', CUSTOMER: 'Customers'};

const $ = (selector) => document.querySelector(selector);
const form = $('#filters');
const fields = {
    from: $('#from'), to: $('#to'), campaign: $('#campaign'), channel: $('#channel'), currency: $('#currency'),
    fullyLoaded: $('#fully-loaded'), knownAt: $('#known-at'),
};
const locale = navigator.language || 'en';
const charts = new Map();
// Answers can arrive out of order when filters change quickly; only the latest request may render.
let generation = 0;
// The last answers rendered, for the verification and events buttons.
let current = null;

// ---------- numbers ----------

// Money is an exact decimal in the API; a JavaScript number would round amounts beyond 15 digits. Where the browser
// exposes the source text of JSON numbers, keep it: Intl.NumberFormat formats decimal strings exactly.
function parseJson(text) {
    return JSON.parse(text, (key, value, context) =>
        typeof value === 'number' && context && typeof context.source === 'string' ? context.source : value);
}

function format(value, kind, currency, signed = false) {
    if (value === null || value === undefined) {
        return 'n/a';
    }
    const sign = signed ? {signDisplay: 'exceptZero'} : {};
    switch (kind) {
        case 'money':
            return new Intl.NumberFormat(locale, currency
                ? {style: 'currency', currency, ...sign}
                : {minimumFractionDigits: 2, maximumFractionDigits: 2, ...sign}).format(value);
        case 'count':
            return new Intl.NumberFormat(locale, {maximumFractionDigits: 0, ...sign}).format(value);
        case 'rate':
            return new Intl.NumberFormat(locale, {style: 'percent', maximumFractionDigits: 2, ...sign}).format(value);
        case 'ratio':
            // kpi-spec §5: a ROAS of 10 is shown as 10:1
            return new Intl.NumberFormat(locale, {maximumFractionDigits: 2, ...sign}).format(value) + (signed ? '' : ':1');
        case 'compact':
            // axis labels: short, so that they fit beside a chart at phone width
            return new Intl.NumberFormat(locale, currency
                ? {style: 'currency', currency, notation: 'compact'} : {notation: 'compact'}).format(value);
        case 'points':
            return new Intl.NumberFormat(locale, {maximumFractionDigits: 2, ...sign}).format(value) + ' pp';
        default:
            return String(value);
    }
}

/** The month-over-month change as the API reports it: percentage points for rates, otherwise absolute and relative. */
function formatChange(change, kind, currency) {
    if (!change) {
        return 'n/a';
    }
    if (kind === 'rate') {
        return format(change.percentagePoints, 'points', null, true);
    }
    const absolute = format(change.absolute, kind === 'count' ? 'count' : kind, currency, true);
    return change.relative === null ? absolute : `${absolute} (${format(change.relative, 'rate', null, true)})`;
}

const same = (a, b) => String(a ?? null) === String(b ?? null);

function monthName(yearMonth) {
    const [year, month] = yearMonth.split('-').map(Number);
    return new Intl.DateTimeFormat(locale, {month: 'short', year: 'numeric', timeZone: 'UTC'})
        .format(Date.UTC(year, month - 1, 1));
}

// ---------- the API ----------

class ApiError extends Error {
    constructor(status, problem) {
        super(problem?.detail || `The service answered ${status}`);
        this.status = status;
        this.problem = problem;
    }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------- credentials ----------

/** The Authorization header for this tab's session (basic credentials of a local user, or a bearer token). */
let authorization = sessionStorage.getItem('kpi-ledger.authorization');
let signingIn = null;

function base64(text) {
    return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** Asks once for credentials, however many calls were refused meanwhile; resolves when the user has given them. */
function signIn(problem) {
    if (!signingIn) {
        const dialog = $('#sign-in');
        const notice = $('#sign-in-problem');
        notice.hidden = !problem;
        notice.textContent = problem || '';
        signingIn = new Promise((resolve) => {
            $('#sign-in-form').onsubmit = (event) => {
                event.preventDefault();
                const token = $('#sign-in-token').value.trim();
                authorization = token ? `Bearer ${token}`
                    : `Basic ${base64(`${$('#sign-in-user').value}:${$('#sign-in-password').value}`)}`;
                sessionStorage.setItem('kpi-ledger.authorization', authorization);
                dialog.close();
                signingIn = null;
                resolve();
            };
        });
        dialog.showModal();
        $('#sign-in-user').focus();
    }
    return signingIn;
}

/**
 * One API call; a 401 asks for credentials and tries again, a 503 with Retry-After (a read model rebuilding or
 * catching up) is retried a few times. Credentials go in the header only: "omit" keeps the browser from answering
 * the service's basic challenge with a login box of its own.
 */
async function api(path, params = {}, body = undefined) {
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''));
    for (let attempt = 1; ; attempt++) {
        const headers = {'Accept': 'application/json'};
        if (body) {
            headers['Content-Type'] = 'application/json';
        }
        if (authorization) {
            headers['Authorization'] = authorization;
        }
        const response = await fetch(body ? path : `${path}?${query}`, {
            method: body ? 'POST' : 'GET',
            headers,
            credentials: 'omit',
            body: body ? JSON.stringify(body) : undefined,
        });
        const text = await response.text();
        const json = text ? parseJson(text) : null;
        if (response.ok) {
            return json;
        }
        if (response.status === 401 && attempt < 10) {
            await signIn(authorization ? 'Those credentials were not accepted.' : null);
            continue;
        }
        const retryAfter = Number(response.headers.get('Retry-After'));
        if (response.status === 503 && retryAfter > 0 && attempt < 10) {
            setStatus(`${json?.detail || 'The service is busy'}; asking again in ${retryAfter} s…`);
            await sleep(retryAfter * 1000);
            continue;
        }
        throw new ApiError(response.status, json);
    }
}

// ---------- filters ----------

function monthOf(date) {
    return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

function shiftMonth(yearMonth, months) {
    const [year, month] = yearMonth.split('-').map(Number);
    return monthOf(new Date(Date.UTC(year, month - 1 + months, 1)));
}

function monthsBetween(first, last) {
    const [y1, m1] = first.split('-').map(Number);
    const [y2, m2] = last.split('-').map(Number);
    return (y2 - y1) * 12 + (m2 - m1) + 1;
}

/** A typed moment as the API wants it: a date means the start of that day in UTC; anything else is sent as typed. */
function knownAtValue() {
    const typed = fields.knownAt.value.trim();
    return /^\d{4}-\d{2}-\d{2}$/.test(typed) ? `${typed}T00:00:00Z` : typed || null;
}

/** The question the filters ask, in the API's parameter names. */
function question() {
    const first = fields.from.value;
    const last = fields.to.value;
    return {
        first, last,
        from: `${first}-01`,
        to: `${shiftMonth(last, 1)}-01`,
        campaignId: fields.campaign.value || null,
        channel: fields.channel.value || null,
        currency: fields.currency.value || null,
        fullyLoaded: fields.fullyLoaded.checked ? 'true' : null,
        knownAt: knownAtValue(),
    };
}

function addOption(select, value, label = value) {
    if (value && ![...select.options].some((option) => option.value === value)) {
        select.add(new Option(label, value));
    }
}

function readUrl() {
    const params = new URLSearchParams(location.search);
    const thisMonth = monthOf(new Date());
    fields.to.value = params.get('to') || thisMonth;
    fields.from.value = params.get('from') || shiftMonth(fields.to.value, -2);
    addOption(fields.campaign, params.get('campaignId'));
    fields.campaign.value = params.get('campaignId') || '';
    addOption(fields.channel, params.get('channel'));
    fields.channel.value = params.get('channel') || '';
    addOption(fields.currency, params.get('currency'));
    fields.currency.value = params.get('currency') || '';
    fields.fullyLoaded.checked = params.get('fullyLoaded') === 'true';
    fields.knownAt.value = params.get('knownAt') || '';
}

/** The filters in the address bar, so that a view (say, March as known on 5 April) can be bookmarked and shared. */
function writeUrl(q) {
    const params = new URLSearchParams(Object.entries({
        from: q.first, to: q.last, campaignId: q.campaignId, channel: q.channel, currency: q.currency,
        fullyLoaded: q.fullyLoaded, knownAt: fields.knownAt.value.trim(),
    }).filter(([, v]) => v));
    history.replaceState(null, '', `?${params}`);
}

// ---------- status ----------

function setStatus(text) {
    $('#status').textContent = text;
}

function showError(error) {
    const box = $('#error');
    box.hidden = !error;
    box.textContent = error ? error.message : '';
}

// ---------- loading ----------

/** The answers for one moment: the knownAt of the filters, or now (knownAt null). */
async function answersAt(q, knownAt) {
    const scope = {from: q.from, to: q.to, campaignId: q.campaignId, channel: q.channel, currency: q.currency, knownAt};
    const [summary, monthly, funnel, byChannel, byCampaign] = await Promise.all([
        api('/api/kpis/summary', {...scope, fullyLoaded: q.fullyLoaded}),
        api('/api/kpis/monthly', {...scope, fullyLoaded: q.fullyLoaded}),
        // the funnel has no currency: stage counts are not money
        api('/api/kpis/funnel', {...scope, currency: null}),
        api('/api/kpis/summary', {...scope, fullyLoaded: q.fullyLoaded, groupBy: 'channel'}),
        api('/api/kpis/summary', {...scope, fullyLoaded: q.fullyLoaded, groupBy: 'campaign'}),
    ]);
    return {summary, monthly, funnel, byChannel, byCampaign};
}

async function refresh() {
    const mine = ++generation;
    const q = question();
    if (!q.first || !q.last || monthsBetween(q.first, q.last) < 1) {
        showError(new Error('Choose a period whose last month is not before its first.'));
        return;
    }
    writeUrl(q);
    document.documentElement.dataset.state = 'loading';
    setStatus('Loading…');
    try {
        const [then, now, options, restatement] = await Promise.all([
            answersAt(q, q.knownAt),
            q.knownAt ? answersAt(q, null) : null,
            // the campaign and channel lists must not shrink to the one chosen, so they come from an unfiltered query
            api('/api/kpis/summary', {from: q.from, to: q.to, currency: q.currency, groupBy: 'campaign'}),
            q.knownAt ? api('/api/audit/restatements', {
                from: q.from, to: q.to, campaignId: q.campaignId, channel: q.channel, currency: q.currency,
                earlier: q.knownAt,
            }) : null,
        ]);
        if (mine !== generation) {
            return;
        }
        current = {q, then, now};
        showError(null);
        fillOptions(options, then.summary.currency);
        render(q, then, now, restatement);
        document.documentElement.dataset.state = 'ready';
    } catch (error) {
        if (mine !== generation) {
            return;
        }
        document.documentElement.dataset.state = 'error';
        setStatus('');
        showError(error);
        offerCurrencies(error);
    }
}

function fillOptions(breakdown, currency) {
    for (const row of breakdown.rows) {
        addOption(fields.campaign, row.campaignId);
        addOption(fields.channel, row.channel);
    }
    addOption(fields.currency, currency);
}

/**
 * A ledger with several currencies refuses a question without one (400, field currency); its message lists the
 * currencies held, which become the choices of the currency filter.
 */
function offerCurrencies(error) {
    const field = error.problem?.errors?.find((e) => e.field === 'currency');
    if (!field || fields.currency.value) {
        return;
    }
    for (const code of field.message.match(/\b[A-Z]{3}\b/g) || []) {
        addOption(fields.currency, code);
    }
    fields.currency.focus();
}

// ---------- rendering ----------

function render(q, then, now, restatement) {
    const currency = then.summary.currency;
    const lastMonth = then.monthly.months.at(-1);
    const period = q.first === q.last ? monthName(q.first) : `${monthName(q.first)} – ${monthName(q.last)}`;
    $('#period-label').textContent = `· ${period}`;
    const differing = renderCards(then, now, currency, lastMonth);
    renderAsKnown(q, now, restatement, differing);
    renderFunnel(then.funnel, now?.funnel);
    renderMonths(then.monthly, now?.monthly);
    renderChannels(then.byChannel, now?.byChannel, currency);
    renderCampaigns(then.byCampaign, now?.byCampaign, currency);
    setStatus(`${period}${q.knownAt ? ` as known at ${q.knownAt}` : ', as known now'}: store position ${then.summary.position}.`);
}

function renderCards(then, now, currency, lastMonth) {
    const cards = $('#cards');
    cards.replaceChildren();
    let differing = 0;
    const versus = lastMonth ? `${monthName(lastMonth.month)} vs ${monthName(shiftMonth(lastMonth.month, -1))}` : '';
    for (const card of CARDS) {
        const value = then.summary[card.key];
        const article = document.createElement('article');
        article.className = 'card';
        article.dataset.kpi = card.key;
        article.innerHTML = `<h3></h3><p class="value"></p><p class="change"></p><p class="today" hidden></p>
            <p class="links"><button type="button" class="link verify">Verify</button>
            <button type="button" class="link events">Events</button></p>`;
        article.querySelector('h3').textContent = card.label;
        const shown = article.querySelector('.value');
        shown.textContent = format(value, card.kind, currency);
        shown.dataset.raw = value ?? '';
        const change = lastMonth?.changes?.[card.key];
        article.querySelector('.change').textContent = `${versus}: ${formatChange(change, card.kind, currency)}`;
        if (now && !same(value, now.summary[card.key])) {
            differing++;
            article.classList.add('differs');
            const today = article.querySelector('.today');
            today.hidden = false;
            today.dataset.raw = now.summary[card.key] ?? '';
            today.textContent = `Today: ${format(now.summary[card.key], card.kind, now.summary.currency)}`;
        }
        article.querySelector('.verify').setAttribute('aria-label', `Verify ${card.label} against the raw events`);
        article.querySelector('.verify').addEventListener('click', () => verify(card));
        article.querySelector('.events').setAttribute('aria-label', `Events behind ${card.label}`);
        article.querySelector('.events').addEventListener('click', () => eventsBehind());
        cards.append(article);
    }
    return differing;
}

function renderAsKnown(q, now, restatement, differing) {
    const section = $('#as-known');
    section.hidden = !now;
    if (!now) {
        return;
    }
    $('#as-known-moment').textContent = q.knownAt;
    $('#as-known-summary').textContent = differing === 0
        ? 'Every card figure is the same as today.'
        : `${differing} of the ${CARDS.length} card figures differ from today; they are highlighted, with today's value.`;
    const list = $('#causes');
    list.replaceChildren();
    for (const cause of restatement?.causes || []) {
        // the restatement names the aggregate as kind:id, e.g. campaign:spring-26 or lead:lead-1
        const [kind, ...rest] = cause.aggregate.split(':');
        const id = rest.join(':');
        const item = document.createElement('li');
        item.textContent = `${cause.type} (${kind} ${id}), business time ${cause.businessTime}, recorded ${cause.recordedAt}, position ${cause.position} `;
        item.append(historyButton(kind === 'campaign' ? 'campaigns' : 'leads', id));
        list.append(item);
    }
    if (!list.children.length) {
        list.append(Object.assign(document.createElement('li'), {textContent: 'None.'}));
    }
}

/**
 * A chart's numbers as a table, each cell marked where the figure as known then differs from today's. Columns are
 * [getter, kind] pairs (a column without a kind is a label); rows are matched to today's rows by key.
 */
function fillTable(figure, rows, nowRows, key, columns, currency, extra) {
    const body = document.querySelector(`#${figure} tbody`);
    body.replaceChildren();
    const today = new Map((nowRows || []).map((row) => [key(row), row]));
    for (const row of rows) {
        const tr = document.createElement('tr');
        columns.forEach(([get, kind], index) => {
            const cell = document.createElement(index === 0 ? 'th' : 'td');
            if (index === 0) {
                cell.scope = 'row';
            }
            cell.textContent = kind ? format(get(row), kind, currency) : get(row);
            const other = today.get(key(row));
            if (kind && nowRows && !same(get(row), other ? get(other) : null)) {
                cell.classList.add('differs');
                const small = document.createElement('small');
                small.textContent = `today: ${other ? format(get(other), kind, currency) : 'n/a'}`;
                cell.append(document.createElement('br'), small);
            }
            tr.append(cell);
        });
        if (extra) {
            const cell = document.createElement('td');
            cell.append(...extra(row));
            tr.append(cell);
        }
        body.append(tr);
    }
}

function chart(figure, option) {
    const element = document.querySelector(`#${figure} .chart`);
    if (!window.echarts) {
        element.textContent = 'The chart library did not load; the tables below hold every number.';
        return;
    }
    let instance = charts.get(figure);
    if (!instance) {
        // SVG keeps the charts sharp at any zoom and in screenshots
        instance = echarts.init(element, null, {renderer: 'svg'});
        charts.set(figure, instance);
        new ResizeObserver(() => instance.resize()).observe(element);
    }
    instance.setOption({aria: {enabled: true}, animation: false, ...option}, true);
}

function renderFunnel(funnel, nowFunnel) {
    const stages = funnel.stages;
    chart('funnel', {
        tooltip: {trigger: 'item'},
        series: [{
            type: 'funnel', sort: 'none', left: '5%', width: '90%', minSize: '20%', gap: 2,
            label: {position: 'inside', color: '#fff', fontWeight: 'bold'},
            data: stages.map((stage) => ({
                name: STAGE_LABELS[stage.stage],
                value: Number(stage.count),
                label: {
                    formatter: `${STAGE_LABELS[stage.stage]}: ${format(stage.count, 'count')}`
                        + (stage.rateFromPrevious === null ? '' : ` (${format(stage.rateFromPrevious, 'rate')})`),
                },
            })),
        }],
    });
    fillTable('funnel', stages, nowFunnel?.stages, (s) => s.stage, [
        [(s) => STAGE_LABELS[s.stage]], [(s) => s.count, 'count'], [(s) => s.implied, 'count'],
        [(s) => s.rateFromPrevious, 'rate']]);
}

function renderMonths(monthly, nowMonthly) {
    const months = monthly.months;
    chart('mql-sql', {
        tooltip: {trigger: 'axis'},
        legend: {top: 0},
        grid: {left: 8, right: 8, top: 48, bottom: 8, containLabel: true},
        xAxis: {type: 'category', data: months.map((m) => monthName(m.month))},
        yAxis: [
            {type: 'value', name: 'count', minInterval: 1},
            {type: 'value', name: 'MQL → SQL', axisLabel: {formatter: (v) => format(v, 'rate')}},
        ],
        series: [
            {name: 'MQLs', type: 'bar', data: months.map((m) => Number(m.kpis.mqls))},
            {name: 'SQLs', type: 'bar', data: months.map((m) => Number(m.kpis.sqls))},
            {
                name: 'MQL → SQL', type: 'line', yAxisIndex: 1,
                data: months.map((m) => m.kpis.mqlToSqlRate === null ? null : Number(m.kpis.mqlToSqlRate)),
                tooltip: {valueFormatter: (v) => format(v, 'rate')},
            },
        ],
    });
    fillTable('mql-sql', months, nowMonthly?.months, (m) => m.month, [
        [(m) => monthName(m.month)], [(m) => m.kpis.mqls, 'count'], [(m) => m.kpis.sqls, 'count'],
        [(m) => m.kpis.mqlToSqlRate, 'rate'], [(m) => m.changes?.mqlToSqlRate?.percentagePoints ?? null, 'points']]);
}

const channelName = (row) => row.channel ?? 'no channel';
const campaignName = (row) => row.campaignId ?? 'organic (no campaign)';

function renderChannels(breakdown, nowBreakdown, currency) {
    const rows = breakdown.rows;
    chart('by-channel', {
        tooltip: {trigger: 'axis', valueFormatter: (v) => format(v, 'money', currency)},
        legend: {top: 0},
        grid: {left: 8, right: 16, top: 36, bottom: 8, containLabel: true},
        xAxis: {type: 'category', data: rows.map(channelName)},
        yAxis: {type: 'value', axisLabel: {formatter: (v) => format(v, 'compact', currency)}},
        series: [
            {name: 'CAC', type: 'bar', data: rows.map((r) => r.cac === null ? null : Number(r.cac))},
            {name: 'Average LTV', type: 'bar', data: rows.map((r) => r.avgLtv === null ? null : Number(r.avgLtv))},
        ],
    });
    fillTable('by-channel', rows, nowBreakdown?.rows, channelName, [
        [channelName], [(r) => r.customers, 'count'], [(r) => r.cac, 'money'], [(r) => r.avgLtv, 'money'],
        [(r) => r.ltvToCac, 'ratio']], currency);
}

function renderCampaigns(breakdown, nowBreakdown, currency) {
    const rows = breakdown.rows;
    chart('by-campaign', {
        tooltip: {trigger: 'axis', valueFormatter: (v) => format(v, 'ratio')},
        grid: {left: 8, right: 16, top: 16, bottom: 8, containLabel: true},
        xAxis: {type: 'category', data: rows.map(campaignName)},
        yAxis: {type: 'value', axisLabel: {formatter: (v) => format(v, 'ratio')}},
        series: [{name: 'ROAS', type: 'bar', data: rows.map((r) => r.roas === null ? null : Number(r.roas))}],
    });
    fillTable('by-campaign', rows, nowBreakdown?.rows, campaignName, [
        [campaignName], [(r) => r.channel ?? ''], [(r) => r.mediaSpend, 'money'], [(r) => r.revenue, 'money'],
        [(r) => r.roas, 'ratio']], currency,
        (row) => row.campaignId ? [historyButton('campaigns', row.campaignId)] : []);
}

// ---------- verification and events ----------

function openDialog(title, ...content) {
    $('#detail-title').textContent = title;
    $('#detail-body').replaceChildren(...content);
    const dialog = $('#detail');
    if (!dialog.open) {
        dialog.showModal();
    }
}

function definitionList(entries) {
    const list = document.createElement('dl');
    for (const [term, description] of entries) {
        list.append(Object.assign(document.createElement('dt'), {textContent: term}),
            Object.assign(document.createElement('dd'), {textContent: description}));
    }
    return list;
}

/** Asks the service to recompute the cards' question from the raw events (POST /api/audit/verifications). */
async function verify(card) {
    const q = current.q;
    openDialog(`Verifying ${card.label}…`);
    try {
        const answer = await api('/api/audit/verifications', {}, {
            kpi: 'summary', from: q.from, to: q.to, campaignId: q.campaignId, channel: q.channel,
            currency: q.currency, knownAt: q.knownAt, fullyLoaded: q.fullyLoaded === 'true',
        });
        const currency = answer.readModel.currency;
        openDialog(`${card.label}: ${answer.match ? 'verified' : 'MISMATCH'}`, definitionList([
            ['Read models answer', format(answer.readModel[card.key], card.kind, currency)],
            ['Recomputed from the events', format(answer.recomputed[card.key], card.kind, currency)],
            ['Whole answer matches', answer.match ? 'yes' : 'no'],
            ['Events read', format(answer.eventsRead, 'count')],
            ['Store position', String(answer.position)],
            ['Definition version', answer.definitionVersion],
            ['SHA-256 of the events read', answer.digest],
        ]));
    } catch (error) {
        openDialog(`${card.label}: verification failed`, document.createTextNode(error.message));
    }
}

/** A card's figure comes from one campaign's events when a campaign is chosen, otherwise from every campaign's. */
function eventsBehind() {
    if (current.q.campaignId) {
        showHistory('campaigns', current.q.campaignId);
        return;
    }
    const details = document.querySelector('#by-campaign details');
    details.open = true;
    details.querySelector('summary').focus();
    details.scrollIntoView({block: 'start'});
}

function historyButton(kind, id) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = 'Events';
    button.setAttribute('aria-label', `Events of ${kind === 'campaigns' ? 'campaign' : 'lead'} ${id}`);
    button.addEventListener('click', () => showHistory(kind, id));
    return button;
}

/** The aggregate's events from the event store, with both clocks, and a way to see the figures just before one. */
async function showHistory(kind, id) {
    const noun = kind === 'campaigns' ? 'Campaign' : 'Lead';
    const path = `/api/${kind}/${encodeURIComponent(id)}/history`;
    openDialog(`${noun} ${id}: loading events…`);
    try {
        const history = await api(path);
        const table = document.createElement('table');
        table.innerHTML = `<thead><tr><th scope="col">Position</th><th scope="col">Event</th>
            <th scope="col">Business time</th><th scope="col">Recorded at</th><th scope="col"></th></tr></thead><tbody></tbody>`;
        for (const event of history.events) {
            const tr = document.createElement('tr');
            for (const text of [event.position, event.type, event.businessTime, event.recordedAt]) {
                tr.append(Object.assign(document.createElement('td'), {textContent: text}));
            }
            const before = document.createElement('button');
            before.type = 'button';
            before.className = 'link';
            before.textContent = 'Figures before this';
            // one millisecond before the event was recorded: the moment the dashboard last showed it missing
            before.addEventListener('click', () => {
                fields.knownAt.value = new Date(Date.parse(event.recordedAt) - 1).toISOString();
                $('#detail').close();
                refresh();
            });
            const cell = document.createElement('td');
            cell.append(before);
            tr.append(cell);
            table.tBodies[0].append(tr);
        }
        const raw = Object.assign(document.createElement('a'), {href: path, textContent: 'The history as JSON'});
        openDialog(`${noun} ${id}: ${history.events.length} events`, table, raw);
    } catch (error) {
        openDialog(`${noun} ${id}`, document.createTextNode(error.message));
    }
}

// ---------- wiring ----------

form.addEventListener('submit', (event) => {
    event.preventDefault();
    refresh();
});
for (const field of [fields.from, fields.to, fields.currency, fields.fullyLoaded]) {
    field.addEventListener('change', refresh);
}
// the API takes either a campaign or a channel, never both
fields.campaign.addEventListener('change', () => {
    fields.channel.value = '';
    refresh();
});
fields.channel.addEventListener('change', () => {
    fields.campaign.value = '';
    refresh();
});
$('#now').addEventListener('click', () => {
    fields.knownAt.value = '';
    refresh();
});
for (const [button, direction] of [['#previous-period', -1], ['#next-period', 1]]) {
    $(button).addEventListener('click', () => {
        const length = monthsBetween(fields.from.value, fields.to.value);
        fields.from.value = shiftMonth(fields.from.value, direction * length);
        fields.to.value = shiftMonth(fields.to.value, direction * length);
        refresh();
    });
}
$('#history-form').addEventListener('submit', (event) => {
    event.preventDefault();
    showHistory($('#history-kind').value, $('#history-id').value.trim());
});

readUrl();
refresh();
