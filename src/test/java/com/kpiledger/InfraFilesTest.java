package com.kpiledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The deployment files in infra/ cannot be run on a machine without a container engine or a cluster, so this test
 * parses every one of them and checks what they must agree on: with each other (names, labels, ports, mounts), with
 * the service (port 8080, health and metrics paths, environment variables, the meters it really exposes), and with
 * the rule that no production secret is in the repository. Plain JUnit, no Quarkus: run from the project directory.
 */
class InfraFilesTest {

    private static final Path INFRA = Path.of("infra");
    private static final int HTTP_PORT = 8080;

    /**
     * Meters the service really exposes at /q/metrics with their labels, copied from a running instance (the README
     * walk-through and docs/sample-month.sh sent to `./mvnw quarkus:dev`, Quarkus 3.33.2, axon-micrometer 4.13.0).
     * Only KPI Ledger's and Axon's meters; a dashboard that needs others must add them here from real output.
     */
    private static final String EXPOSED_METERS = """
            kpi_ledger_commands_total command,outcome,reason
            kpi_ledger_read_model_lag_events read_model
            kpi_ledger_read_model_lag_seconds read_model
            kpi_ledger_read_model_position read_model
            kpi_ledger_read_model_rebuild_progress_percent read_model
            commandBus_allTimer_seconds payloadType,quantile
            commandBus_allTimer_seconds_count payloadType
            commandBus_allTimer_seconds_max payloadType
            commandBus_allTimer_seconds_sum payloadType
            commandBus_capacity payloadType
            commandBus_failureCounter_total payloadType
            commandBus_failureTimer_seconds payloadType,quantile
            commandBus_failureTimer_seconds_count payloadType
            commandBus_failureTimer_seconds_max payloadType
            commandBus_failureTimer_seconds_sum payloadType
            commandBus_ignoredCounter_total payloadType
            commandBus_ingestedCounter_total payloadType
            commandBus_processedCounter_total payloadType
            commandBus_successCounter_total payloadType
            commandBus_successTimer_seconds payloadType,quantile
            commandBus_successTimer_seconds_count payloadType
            commandBus_successTimer_seconds_max payloadType
            commandBus_successTimer_seconds_sum payloadType
            eventStore_allTimer_seconds payloadType,quantile
            eventStore_allTimer_seconds_count payloadType
            eventStore_allTimer_seconds_max payloadType
            eventStore_allTimer_seconds_sum payloadType
            eventStore_failureCounter_total
            eventStore_ignoredCounter_total
            eventStore_ingestedCounter_total
            eventStore_processedCounter_total
            eventStore_successCounter_total
            eventProcessor_allTimer_seconds payloadType,processorName,quantile
            eventProcessor_allTimer_seconds_count payloadType,processorName
            eventProcessor_allTimer_seconds_max payloadType,processorName
            eventProcessor_allTimer_seconds_sum payloadType,processorName
            eventProcessor_capacity payloadType,processorName
            eventProcessor_failureCounter_total payloadType,processorName
            eventProcessor_ignoredCounter_total payloadType,processorName
            eventProcessor_ingestedCounter_total payloadType,processorName
            eventProcessor_latency processorName
            eventProcessor_processedCounter_total payloadType,processorName
            eventProcessor_successCounter_total payloadType,processorName
            queryBus_allTimer_seconds payloadType,quantile
            queryBus_allTimer_seconds_count payloadType
            queryBus_allTimer_seconds_sum payloadType
            queryBus_failureCounter_total payloadType
            queryBus_successCounter_total payloadType
            """;

    /** Series Prometheus makes for every target, and the labels it adds ("node": infra/prometheus/prometheus.yml). */
    private static final Map<String, Set<String>> PROMETHEUS_SERIES = Map.of(
            "up", Set.of(), "scrape_duration_seconds", Set.of(), "scrape_samples_scraped", Set.of());
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "node", "__name__");

    /** The only password values the files may hold: obvious placeholders, or an obviously local one for compose. */
    private static final Set<String> PLACEHOLDERS = Set.of("change-me", "local-dev-only", "...", "…");

    // ---------------------------------------------------------------------------------------------------- YAML

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> yamlFiles = files(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"));
        List<String> names = yamlFiles.stream().map(p -> INFRA.relativize(p).toString().replace('\\', '/')).toList();
        assertThat(names).contains(
                "compose.yaml", "prometheus/prometheus.yml",
                "grafana/provisioning/datasources/prometheus.yaml", "grafana/provisioning/dashboards/kpi-ledger.yaml",
                "k8s/configmap.yaml", "k8s/secret.example.yaml", "k8s/deployment.yaml", "k8s/service.yaml",
                "k8s/pdb.yaml");
        for (Path file : yamlFiles) {
            List<Object> documents = yamlDocuments(file);
            assertThat(documents).as("YAML documents in %s", file).isNotEmpty().allSatisfy(doc ->
                    assertThat(doc).as("top level of %s", file).isInstanceOf(Map.class));
        }
    }

    // ---------------------------------------------------------------------------------------------- Dockerfile

    @Test
    void dockerfileBuildsTheQuarkusFastJarOnAJava17Runtime() throws IOException {
        List<String[]> instructions = dockerInstructions(INFRA.resolve("docker/Dockerfile.jvm"));

        List<String> froms = arguments(instructions, "FROM");
        assertThat(froms).as("FROM").isNotEmpty();
        assertThat(froms.get(froms.size() - 1)).as("the final stage's base image: a Java 17 runtime")
                .matches("(registry\\.access\\.redhat\\.com/ubi9/openjdk-17-runtime|eclipse-temurin:17-jre)"
                        + "([:@-].*)?");

        List<String> copies = arguments(instructions, "COPY").stream()
                .map(copy -> copy.replaceAll("--chown=\\S+\\s*", "").trim().replaceAll("\\s+", " "))
                .toList();
        assertThat(copies).as("the four layers of target/quarkus-app").contains(
                "target/quarkus-app/lib/ /deployments/lib/",
                "target/quarkus-app/*.jar /deployments/",
                "target/quarkus-app/app/ /deployments/app/",
                "target/quarkus-app/quarkus/ /deployments/quarkus/");

        assertThat(arguments(instructions, "EXPOSE")).as("EXPOSE").containsExactly(String.valueOf(HTTP_PORT));
        List<String> users = arguments(instructions, "USER");
        assertThat(users).as("runs as a non-root user").isNotEmpty();
        assertThat(users.get(users.size() - 1)).isNotIn("root", "0");

        Map<String, String> env = dockerEnv(instructions);
        String start = String.join(" ", arguments(instructions, "ENTRYPOINT")) + " "
                + String.join(" ", arguments(instructions, "CMD"));
        boolean runsTheJarItself = start.contains("/deployments/quarkus-run.jar");
        boolean runJavaStartsTheJar = start.contains("/opt/jboss/container/java/run/run-java.sh")
                && "/deployments/quarkus-run.jar".equals(env.get("JAVA_APP_JAR"));
        assertThat(runsTheJarItself || runJavaStartsTheJar)
                .as("ENTRYPOINT/CMD runs /deployments/quarkus-run.jar (directly, or run-java.sh with JAVA_APP_JAR): %s",
                        start)
                .isTrue();

        List<String> ignore = lines(INFRA.resolve("docker/Dockerfile.jvm.dockerignore"));
        assertThat(ignore).as("the build context keeps the packaged app").contains("!target/quarkus-app/*");
    }

    // ------------------------------------------------------------------------------------------------- compose

    @Test
    void composeRunsTwoNodesOnPostgresWithPrometheusAndGrafana() throws IOException {
        Map<String, Object> compose = yaml(INFRA.resolve("compose.yaml"));
        Map<String, Object> services = map(compose, "services");
        assertThat(services).containsKeys("postgres", "node-a", "node-b", "prometheus", "grafana");

        Map<String, Object> postgres = map(services, "postgres");
        assertThat(string(postgres, "image")).startsWith("postgres:15");
        assertThat(list(map(postgres, "healthcheck"), "test")).as("postgres healthcheck").isNotEmpty();
        Map<String, String> pgEnv = environment(postgres);

        Set<String> nodeIds = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (String name : List.of("node-a", "node-b")) {
            Map<String, Object> node = map(services, name);
            Map<String, Object> build = map(node, "build");
            Path context = INFRA.resolve(string(build, "context")).normalize();
            assertThat(context.resolve(string(build, "dockerfile")).normalize())
                    .as("%s is built from infra/docker/Dockerfile.jvm", name)
                    .isEqualTo(INFRA.resolve("docker/Dockerfile.jvm").normalize());
            assertThat(map(map(node, "depends_on"), "postgres")).as("%s waits for a healthy postgres", name)
                    .containsEntry("condition", "service_healthy");

            Map<String, String> env = environment(node);
            assertThat(env.get("KPI_LEDGER_NODE_ID")).as("%s KPI_LEDGER_NODE_ID", name).isNotBlank();
            nodeIds.add(env.get("KPI_LEDGER_NODE_ID"));
            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL"))
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + pgEnv.get("POSTGRES_DB"));
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).isEqualTo(pgEnv.get("POSTGRES_USER"));
            assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD")).isEqualTo(pgEnv.get("POSTGRES_PASSWORD"));
            assertThat(env).containsKey("KPI_LEDGER_PROJECTIONS_SEGMENTS");

            List<Object> ports = list(node, "ports");
            assertThat(ports).as("%s ports", name).hasSize(1);
            String[] mapping = String.valueOf(ports.get(0)).split(":");
            assertThat(mapping[mapping.length - 1]).as("%s container port", name).isEqualTo(String.valueOf(HTTP_PORT));
            hostPorts.add(mapping[mapping.length - 2]);
        }
        assertThat(nodeIds).as("every node its own KPI_LEDGER_NODE_ID").hasSize(2);
        assertThat(hostPorts).as("host ports of node-a and node-b").containsExactlyInAnyOrder("8080", "8081");

        // every bind mount of the compose file exists in the repository
        for (Map.Entry<String, Object> service : services.entrySet()) {
            Object volumes = ((Map<?, ?>) service.getValue()).get("volumes");
            if (volumes == null) {
                continue;
            }
            for (Object volume : (List<?>) volumes) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(INFRA.resolve(source)).as("bind mount of %s", service.getKey()).exists();
                }
            }
        }
        assertThat(mounts(map(services, "prometheus")))
                .containsEntry("/etc/prometheus/prometheus.yml", "./prometheus/prometheus.yml");
        Map<String, String> grafanaMounts = mounts(map(services, "grafana"));
        assertThat(grafanaMounts)
                .containsEntry("/etc/grafana/provisioning/datasources", "./grafana/provisioning/datasources")
                .containsEntry("/etc/grafana/provisioning/dashboards", "./grafana/provisioning/dashboards");

        // the dashboard provider reads the folder compose mounts the dashboards on
        Map<String, Object> provider = firstOf(yaml(INFRA.resolve("grafana/provisioning/dashboards/kpi-ledger.yaml")),
                "providers");
        String dashboardsPath = string(map(provider, "options"), "path");
        assertThat(grafanaMounts.get(dashboardsPath)).as("mount of %s", dashboardsPath)
                .isEqualTo("./grafana/dashboards");
        assertThat(INFRA.resolve("grafana/dashboards/kpi-ledger.json")).exists();

        // the datasource is compose's Prometheus
        Map<String, Object> datasource = firstOf(
                yaml(INFRA.resolve("grafana/provisioning/datasources/prometheus.yaml")), "datasources");
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
    }

    @Test
    void prometheusScrapesBothNodesAtQMetrics() throws IOException {
        Map<String, Object> services = map(yaml(INFRA.resolve("compose.yaml")), "services");
        Map<String, Object> config = yaml(INFRA.resolve("prometheus/prometheus.yml"));
        Map<String, String> scraped = new HashMap<>(); // target -> metrics path
        for (Object job : list(config, "scrape_configs")) {
            Map<String, Object> scrapeConfig = asMap(job);
            String path = scrapeConfig.containsKey("metrics_path") ? string(scrapeConfig, "metrics_path") : "/metrics";
            for (Object staticConfig : list(scrapeConfig, "static_configs")) {
                for (Object target : list(asMap(staticConfig), "targets")) {
                    scraped.put(String.valueOf(target), path);
                }
            }
        }
        for (String node : List.of("node-a", "node-b")) {
            assertThat(services).containsKey(node);
            assertThat(scraped).as("scrape targets").containsEntry(node + ":" + HTTP_PORT, "/q/metrics");
        }
    }

    // ---------------------------------------------------------------------------------------------- dashboard

    @Test
    void dashboardShowsTheServiceMetersOnlyMetersItReallyExposes() throws IOException {
        Map<String, Set<String>> meters = exposedMeters();
        JsonNode dashboard = new ObjectMapper().readTree(INFRA.resolve("grafana/dashboards/kpi-ledger.json").toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();

        String datasourceUid = string(firstOf(
                yaml(INFRA.resolve("grafana/provisioning/datasources/prometheus.yaml")), "datasources"), "uid");
        List<String> expressions = new ArrayList<>();
        Set<Integer> panelIds = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(panelIds.add(panel.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", panel.path("title"))
                    .isEqualTo(datasourceUid);
            assertThat(panel.path("targets").size()).as("queries of %s", panel.path("title")).isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as("a query of %s", panel.path("title")).isNotBlank();
                expressions.add(expr);
                checkExpression(expr, target.path("legendFormat").asText(""), meters);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isTextual() ? query.asText() : query.path("query").asText();
            Matcher labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)").matcher(text);
            assertThat(labelValues.matches()).as("variable %s: %s", variable.path("name"), text).isTrue();
            checkExpression(labelValues.group(1), "{{" + labelValues.group(2) + "}}", meters);
        }

        Set<String> used = expressions.stream().flatMap(e -> metricNames(e).stream()).collect(Collectors.toSet());
        assertThat(used).as("meters on the dashboard").contains(
                "kpi_ledger_commands_total", // commands per second by outcome
                "commandBus_allTimer_seconds", // command latency
                "kpi_ledger_read_model_lag_events",
                "kpi_ledger_read_model_lag_seconds",
                "kpi_ledger_read_model_position",
                "kpi_ledger_read_model_rebuild_progress_percent");
        assertThat(expressions).as("commands per second by outcome")
                .anyMatch(e -> e.contains("kpi_ledger_commands_total") && e.matches(".*by \\([^)]*outcome.*")
                        && e.contains("rate("));
        assertThat(expressions).as("lag and position per read model")
                .anyMatch(e -> e.contains("kpi_ledger_read_model_lag_events") && e.matches(".*by \\([^)]*read_model.*"))
                .anyMatch(e -> e.contains("kpi_ledger_read_model_position") && e.matches(".*by \\([^)]*read_model.*"));
    }

    /** Every metric of the expression is exposed, and every label it or its legend uses exists on one of them. */
    private static void checkExpression(String expr, String legend, Map<String, Set<String>> meters) {
        Set<String> names = metricNames(expr);
        assertThat(names).as("metrics in %s", expr).isNotEmpty();
        Set<String> labels = new HashSet<>(TARGET_LABELS);
        for (String name : names) {
            Set<String> known = meters.containsKey(name) ? meters.get(name) : PROMETHEUS_SERIES.get(name);
            assertThat(known).as("'%s' (in %s) is a meter the service exposes; known: %s", name, expr,
                    meters.keySet()).isNotNull();
            labels.addAll(known);
        }
        Set<String> usedLabels = labelNames(expr);
        Matcher legendLabels = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}").matcher(legend);
        while (legendLabels.find()) {
            usedLabels.add(legendLabels.group(1));
        }
        assertThat(labels).as("labels of %s in %s (legend %s)", names, expr, legend).containsAll(usedLabels);
    }

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{([^}]*)}");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or variables. */
    static Set<String> metricNames(String expr) {
        String rest = STRING.matcher(expr).replaceAll("\"\"");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = GROUPING.matcher(rest).replaceAll(" ");
        rest = rest.replaceAll("\\[[^]]*]", " ").replaceAll("\\$\\{?\\w+}?", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            if (identifier.group(2) == null && !KEYWORDS.contains(identifier.group(1).toLowerCase())) {
                names.add(identifier.group(1));
            }
        }
        return names;
    }

    /** Label names in matchers and in by/without/on/ignoring clauses. */
    static Set<String> labelNames(String expr) {
        String rest = STRING.matcher(expr).replaceAll("\"\"");
        Set<String> labels = new HashSet<>();
        Matcher matchers = MATCHERS.matcher(rest);
        while (matchers.find()) {
            Matcher label = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)").matcher(matchers.group(1));
            while (label.find()) {
                labels.add(label.group(1));
            }
        }
        Matcher grouping = GROUPING.matcher(rest);
        while (grouping.find()) {
            for (String label : grouping.group(2).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.trim());
                }
            }
        }
        return labels;
    }

    @Test
    void promqlNamesAreFoundAsExpected() {
        assertThat(metricNames("sum by (outcome) (rate(kpi_ledger_commands_total{node=~\"$node\", outcome=\"x\"}"
                + "[$__rate_interval])) or vector(0)")).containsExactly("kpi_ledger_commands_total");
        assertThat(metricNames("sum(rate(a_sum{q=\"0.95\"}[5m])) / sum without (x) (rate(b_count[1m]))"))
                .containsExactly("a_sum", "b_count");
        assertThat(labelNames("max by (read_model, node) (m{quantile=\"0.95\", job!=\"x\"})"))
                .containsExactlyInAnyOrder("read_model", "node", "quantile", "job");
    }

    // --------------------------------------------------------------------------------------------- Kubernetes

    @Test
    void deploymentRunsThreeProbedReplicasWithConfigAndSecretReferences() throws IOException {
        Map<String, Object> deployment = k8s("deployment.yaml", "Deployment");
        Map<String, Object> spec = map(deployment, "spec");
        assertThat(spec.get("replicas")).as("replicas").isEqualTo(3);

        Map<String, Object> selector = map(map(spec, "selector"), "matchLabels");
        Map<String, Object> template = map(spec, "template");
        Map<String, Object> podLabels = map(map(template, "metadata"), "labels");
        assertThat(selector).isNotEmpty();
        assertThat(podLabels).as("pod labels match the Deployment's selector").containsAllEntriesOf(selector);

        List<Object> containers = list(map(template, "spec"), "containers");
        assertThat(containers).hasSize(1);
        Map<String, Object> container = asMap(containers.get(0));
        Map<String, Integer> ports = containerPorts(container);
        assertThat(ports.values()).contains(HTTP_PORT);

        Map<String, Object> liveness = map(map(container, "livenessProbe"), "httpGet");
        assertThat(liveness.get("path")).isEqualTo("/q/health/live");
        assertThat(resolvePort(liveness.get("port"), ports)).as("liveness port").isEqualTo(HTTP_PORT);
        Map<String, Object> readiness = map(map(container, "readinessProbe"), "httpGet");
        assertThat(readiness.get("path")).isEqualTo("/q/health/ready");
        assertThat(resolvePort(readiness.get("port"), ports)).as("readiness port").isEqualTo(HTTP_PORT);

        Map<String, Object> resources = map(container, "resources");
        assertThat(map(resources, "requests")).containsKeys("cpu", "memory");
        assertThat(map(resources, "limits")).containsKey("memory");

        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Object variable : list(container, "env")) {
            env.put(string(asMap(variable), "name"), asMap(variable));
        }
        assertThat(map(map(env.get("KPI_LEDGER_NODE_ID"), "valueFrom"), "fieldRef"))
                .as("node id from the pod's name").containsEntry("fieldPath", "metadata.name");

        Map<String, Object> secret = k8s("secret.example.yaml", "Secret");
        String secretName = string(map(secret, "metadata"), "name");
        Map<String, Object> secretData = map(secret, "stringData");
        for (String variable : List.of("QUARKUS_DATASOURCE_PASSWORD", "QUARKUS_DATASOURCE_USERNAME")) {
            assertThat(env.get(variable)).as(variable).isNotNull().doesNotContainKey("value");
            Map<String, Object> ref = map(map(env.get(variable), "valueFrom"), "secretKeyRef");
            assertThat(ref.get("name")).as("%s from the Secret", variable).isEqualTo(secretName);
            assertThat(secretData).as("keys of the example Secret").containsKey(string(ref, "key"));
        }
        env.forEach((name, variable) -> {
            if (name.matches("(?i).*(PASSWORD|SECRET|TOKEN).*")) {
                assertThat(variable).as("%s never as a literal value", name).doesNotContainKey("value");
            }
        });

        Map<String, Object> configMap = k8s("configmap.yaml", "ConfigMap");
        List<String> configMapRefs = list(container, "envFrom").stream()
                .map(from -> asMap(from).get("configMapRef")).filter(ref -> ref != null)
                .map(ref -> String.valueOf(asMap(ref).get("name"))).toList();
        assertThat(configMapRefs).containsExactly(string(map(configMap, "metadata"), "name"));
        Map<String, Object> data = map(configMap, "data");
        assertThat(string(data, "QUARKUS_DATASOURCE_JDBC_URL")).startsWith("jdbc:postgresql://")
                .doesNotContainIgnoringCase("password");
        assertThat(data).containsKey("KPI_LEDGER_PROJECTIONS_SEGMENTS");
        assertThat(data.keySet()).as("no credentials in the ConfigMap")
                .noneMatch(key -> key.matches("(?i).*(PASSWORD|SECRET|TOKEN|USERNAME).*"));
    }

    @Test
    void serviceAndPodDisruptionBudgetSelectTheDeploymentsPods() throws IOException {
        Map<String, Object> deploymentSpec = map(k8s("deployment.yaml", "Deployment"), "spec");
        Map<String, Object> selector = map(map(deploymentSpec, "selector"), "matchLabels");
        Map<String, Object> podLabels = map(map(map(deploymentSpec, "template"), "metadata"), "labels");
        Map<String, Integer> ports = containerPorts(asMap(list(map(map(deploymentSpec, "template"), "spec"),
                "containers").get(0)));

        Map<String, Object> serviceSpec = map(k8s("service.yaml", "Service"), "spec");
        assertThat(map(serviceSpec, "selector")).as("Service selector").isEqualTo(selector);
        assertThat(podLabels).containsAllEntriesOf(map(serviceSpec, "selector"));
        List<Object> servicePorts = list(serviceSpec, "ports");
        assertThat(servicePorts).isNotEmpty().allSatisfy(port ->
                assertThat(resolvePort(asMap(port).get("targetPort"), ports)).as("Service targetPort")
                        .isEqualTo(HTTP_PORT));

        Map<String, Object> pdbSpec = map(k8s("pdb.yaml", "PodDisruptionBudget"), "spec");
        assertThat(map(map(pdbSpec, "selector"), "matchLabels")).as("PDB selector").isEqualTo(selector);
        int replicas = (Integer) deploymentSpec.get("replicas");
        if (pdbSpec.containsKey("minAvailable")) {
            assertThat((Integer) pdbSpec.get("minAvailable")).as("a drain can still evict a pod")
                    .isBetween(1, replicas - 1);
        } else {
            assertThat((Integer) pdbSpec.get("maxUnavailable")).isBetween(1, replicas - 1);
        }

        Map<String, Object> kustomization = yaml(INFRA.resolve("k8s/kustomization.yaml"));
        List<Object> resources = list(kustomization, "resources");
        assertThat(resources).as("kubectl apply -k applies the manifests but not the example Secret")
                .containsExactlyInAnyOrder("configmap.yaml", "deployment.yaml", "service.yaml", "pdb.yaml");
    }

    // ----------------------------------------------------------------------------------------------- secrets

    @Test
    void theExampleSecretHoldsOnlyPlaceholders() throws IOException {
        Map<String, Object> secret = k8s("secret.example.yaml", "Secret");
        assertThat(secret).doesNotContainKey("data"); // base64 would hide what the values are
        map(secret, "stringData").forEach((key, value) -> {
            if (key.matches("(?i).*(password|secret|token|key).*")) {
                assertThat(String.valueOf(value)).as("stringData.%s", key).isEqualTo("change-me");
            }
        });
        assertThat(String.join("\n", lines(INFRA.resolve("k8s/secret.example.yaml"))))
                .as("documented as an example").containsIgnoringCase("example");
    }

    private static final Pattern PASSWORD_ASSIGNMENT = Pattern.compile(
            "(?i)(password|passwd|secret|token|api[_-]?key)[\\w.-]*[\"']?\\s*[:=]\\s*(\"[^\"]*\"|'[^']*'|[^\\s,#]+)");
    private static final Pattern SQL_PASSWORD = Pattern.compile("(?i)\\bPASSWORD\\s+'([^']*)'");
    private static final Pattern DEFAULTED_VARIABLE = Pattern.compile("\\$\\{\\w+:?-([^}]*)}");
    private static final List<Pattern> SECRET_SHAPES = List.of(
            Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----"),
            Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"), // AWS access key id
            Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}\\b"), // GitHub token
            Pattern.compile("\\bxox[abpr]-[A-Za-z0-9-]{10,}"), // Slack token
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\."), // JWT
            Pattern.compile("(?i)jdbc:[^\\s\"']*[?&;]password="),
            Pattern.compile("://[^\\s/:@\"']+:[^\\s/@\"']+@")); // user:password@host

    @Test
    void noFileHoldsAnythingThatLooksLikeARealSecret() throws IOException {
        List<Path> all = files(p -> true);
        assertThat(all).hasSizeGreaterThan(10);
        List<String> findings = new ArrayList<>();
        for (Path file : all) {
            List<String> fileLines = lines(file);
            for (int i = 0; i < fileLines.size(); i++) {
                int line = i + 1;
                findings.addAll(secretsIn(fileLines.get(i)).stream()
                        .map(finding -> file + ":" + line + ": " + finding).toList());
            }
        }
        assertThat(findings).as("strings that look like real secrets").isEmpty();
    }

    @Test
    void theSecretDetectorFindsWhatItShould() {
        String fake = "Xk9" + "q2LmP7vRt4Zw8sYb";
        assertThat(secretsIn("QUARKUS_DATASOURCE_PASSWORD: " + fake)).hasSize(1);
        assertThat(secretsIn("  password: \"" + fake + "\"")).hasSize(1);
        assertThat(secretsIn("CREATE ROLE x LOGIN PASSWORD '" + fake + "';")).hasSize(1);
        assertThat(secretsIn("url: jdbc:postgresql://db:5432/x?user=a&password=" + fake)).isNotEmpty();
        assertThat(secretsIn("POSTGRES_PASSWORD: ${KPI_LEDGER_DB_PASSWORD:-" + fake + "}")).hasSize(1);
        assertThat(secretsIn("-----BEGIN RSA " + "PRIVATE KEY-----")).hasSize(1);
        assertThat(secretsIn("POSTGRES_PASSWORD: ${KPI_LEDGER_DB_PASSWORD:-local-dev-only}")).isEmpty();
        assertThat(secretsIn("  password: change-me")).isEmpty();
        assertThat(secretsIn("- name: QUARKUS_DATASOURCE_PASSWORD")).isEmpty();
        assertThat(secretsIn("QUARKUS_DATASOURCE_PASSWORD:")).isEmpty();
        assertThat(secretsIn("QUARKUS_DATASOURCE_PASSWORD=… java -jar x.jar")).isEmpty();
        assertThat(secretsIn("QUARKUS_DATASOURCE_PASSWORD: ${KPI_LEDGER_DB_PASSWORD}")).isEmpty();
        assertThat(secretsIn("secretKeyRef:")).isEmpty();
    }

    /** What in one line looks like a real secret: a known secret shape, or a password that is not a placeholder. */
    static List<String> secretsIn(String line) {
        List<String> findings = new ArrayList<>();
        for (Pattern shape : SECRET_SHAPES) {
            if (shape.matcher(line).find()) {
                findings.add("looks like a secret (" + shape + "): " + line.trim());
            }
        }
        List<String> values = new ArrayList<>();
        Matcher assignment = PASSWORD_ASSIGNMENT.matcher(line);
        while (assignment.find()) {
            values.add(assignment.group(2));
        }
        Matcher sql = SQL_PASSWORD.matcher(line);
        while (sql.find()) {
            values.add(sql.group(1));
        }
        for (String raw : values) {
            String value = raw.replaceAll("^[\"']|[\"']$", "").trim();
            Matcher defaulted = DEFAULTED_VARIABLE.matcher(value);
            if (defaulted.matches()) {
                value = defaulted.group(1); // ${VAR:-default}: the default is what ends up in use
            } else if (value.matches("\\$\\{?\\w+}?")) {
                continue; // a reference to another variable
            }
            if (value.isEmpty() || PLACEHOLDERS.contains(value) || value.matches("<[^>]+>")) {
                continue;
            }
            findings.add("a password that is not a placeholder (" + String.join(", ", PLACEHOLDERS) + "): "
                    + line.trim());
        }
        return findings;
    }

    // ----------------------------------------------------------------------------------------------- helpers

    private static Map<String, Set<String>> exposedMeters() {
        Map<String, Set<String>> meters = new HashMap<>();
        for (String line : EXPOSED_METERS.strip().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            meters.put(parts[0], parts.length > 1 ? Set.of(parts[1].split(",")) : Set.of());
        }
        return meters;
    }

    private static List<Path> files(java.util.function.Predicate<Path> filter) throws IOException {
        assertThat(INFRA).as("run from the project directory").isDirectory();
        try (Stream<Path> walk = Files.walk(INFRA)) {
            return walk.filter(Files::isRegularFile).filter(filter).sorted().toList();
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static List<Object> yamlDocuments(Path file) throws IOException {
        Yaml parser = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Object> documents = new ArrayList<>();
        for (Object document : parser.loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        List<Object> documents = yamlDocuments(file);
        assertThat(documents).as("documents in %s", file).hasSize(1);
        return asMap(documents.get(0));
    }

    private static Map<String, Object> k8s(String file, String kind) throws IOException {
        Map<String, Object> manifest = yaml(INFRA.resolve("k8s").resolve(file));
        assertThat(manifest).as(file).containsEntry("kind", kind).containsKey("apiVersion");
        assertThat(string(map(manifest, "metadata"), "name")).isNotBlank();
        return manifest;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map)) {
            fail("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).as("has '%s'", key).containsKey(key);
        return asMap(parent.get(key));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        assertThat(parent.get(key)).as("'%s' is a list", key).isInstanceOf(List.class);
        return (List<Object>) parent.get(key);
    }

    private static String string(Map<String, Object> parent, String key) {
        assertThat(parent).as("has '%s'", key).containsKey(key);
        return String.valueOf(parent.get(key));
    }

    private static Map<String, Object> firstOf(Map<String, Object> parent, String key) {
        List<Object> items = list(parent, key);
        assertThat(items).as(key).isNotEmpty();
        return asMap(items.get(0));
    }

    /** A compose service's environment, in either of compose's two forms. */
    private static Map<String, String> environment(Map<String, Object> service) {
        Map<String, String> env = new LinkedHashMap<>();
        Object raw = service.get("environment");
        if (raw instanceof Map<?, ?> mapping) {
            mapping.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (raw instanceof List<?> entries) {
            for (Object entry : entries) {
                String[] pair = String.valueOf(entry).split("=", 2);
                env.put(pair[0], pair.length > 1 ? pair[1] : null);
            }
        }
        return env;
    }

    /** A compose service's bind mounts: container path to host path. */
    private static Map<String, String> mounts(Map<String, Object> service) {
        Map<String, String> mounts = new HashMap<>();
        for (Object volume : list(service, "volumes")) {
            String[] parts = String.valueOf(volume).split(":");
            mounts.put(parts[1], parts[0]);
        }
        return mounts;
    }

    private static Map<String, Integer> containerPorts(Map<String, Object> container) {
        Map<String, Integer> ports = new HashMap<>();
        for (Object port : list(container, "ports")) {
            Map<String, Object> entry = asMap(port);
            Integer number = (Integer) entry.get("containerPort");
            ports.put(entry.containsKey("name") ? string(entry, "name") : String.valueOf(number), number);
        }
        return ports;
    }

    /** A port given by number or by the name of a container port. */
    private static Integer resolvePort(Object port, Map<String, Integer> containerPorts) {
        if (port instanceof Integer number) {
            return number;
        }
        assertThat(containerPorts).as("named port '%s'", port).containsKey(String.valueOf(port));
        return containerPorts.get(String.valueOf(port));
    }

    /** Dockerfile instructions as [KEYWORD, arguments], continuation lines joined, comments dropped. */
    private static List<String[]> dockerInstructions(Path dockerfile) throws IOException {
        List<String[]> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines(dockerfile)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && current.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String[] parts = current.toString().trim().split("\\s+", 2);
            instructions.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1].trim() : ""});
            current.setLength(0);
        }
        assertThat(current.toString()).as("no dangling continuation in %s", dockerfile).isEmpty();
        return instructions;
    }

    private static List<String> arguments(List<String[]> instructions, String keyword) {
        return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
    }

    /** ENV key="value" (one or more per instruction) and ENV key value. */
    private static Map<String, String> dockerEnv(List<String[]> instructions) {
        Map<String, String> env = new HashMap<>();
        Pattern pair = Pattern.compile("(\\w+)=(\"[^\"]*\"|'[^']*'|\\S+)");
        for (String arguments : arguments(instructions, "ENV")) {
            Matcher matcher = pair.matcher(arguments);
            boolean any = false;
            while (matcher.find()) {
                env.put(matcher.group(1), matcher.group(2).replaceAll("^[\"']|[\"']$", ""));
                any = true;
            }
            if (!any) {
                String[] keyValue = arguments.split("\\s+", 2);
                env.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
            }
        }
        return env;
    }
}
