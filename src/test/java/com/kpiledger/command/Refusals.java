package com.kpiledger.command;

import com.kpiledger.coreapi.shared.LedgerException;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeDiagnosingMatcher;

/** Matches a domain refusal by its type and the request field it names. */
final class Refusals {

    private Refusals() {
    }

    static Matcher<Object> refusal(Class<? extends LedgerException> type, String field) {
        return new TypeSafeDiagnosingMatcher<>() {
            @Override
            protected boolean matchesSafely(Object actual, Description mismatch) {
                if (!type.isInstance(actual)) {
                    mismatch.appendText("was ").appendValue(actual);
                    return false;
                }
                String actualField = ((LedgerException) actual).field();
                if (!field.equals(actualField)) {
                    mismatch.appendText("named field ").appendValue(actualField);
                    return false;
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText(type.getSimpleName() + " on field ").appendValue(field);
            }
        };
    }
}
