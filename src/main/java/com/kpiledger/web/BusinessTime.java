package com.kpiledger.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A business date or instant in the years 1900 to 9999. Java accepts years up to ±999,999,999 (and JSON numbers as
 * epoch seconds), PostgreSQL's timestamps do not: such a time was accepted as an event that no read model could then
 * store, which stopped the read model's processor (found by CommandFuzzPostgresTest). Null passes (combine with
 * NotNull).
 */
@Documented
@Constraint(validatedBy = {BusinessTime.InstantValidator.class, BusinessTime.DateValidator.class})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface BusinessTime {

    int FIRST_YEAR = 1900;
    int LAST_YEAR = 9999;

    String message() default "must be in the years 1900 to 9999";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class InstantValidator implements ConstraintValidator<BusinessTime, Instant> {

        private static final Instant FIRST = LocalDate.of(FIRST_YEAR, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        private static final Instant AFTER_LAST = LocalDate.of(LAST_YEAR + 1, 1, 1).atStartOfDay()
                .toInstant(ZoneOffset.UTC);

        @Override
        public boolean isValid(Instant value, ConstraintValidatorContext context) {
            return value == null || !value.isBefore(FIRST) && value.isBefore(AFTER_LAST);
        }
    }

    class DateValidator implements ConstraintValidator<BusinessTime, LocalDate> {

        @Override
        public boolean isValid(LocalDate value, ConstraintValidatorContext context) {
            return value == null || value.getYear() >= FIRST_YEAR && value.getYear() <= LAST_YEAR;
        }
    }
}
