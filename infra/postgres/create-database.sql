-- One-time setup of a PostgreSQL server for KPI Ledger (run as a superuser, e.g. psql -U postgres -f create-database.sql).
-- The service's Flyway migrations create every table at its first start; this only makes the role and the database.
-- Choose your own password; pass it to the service as QUARKUS_DATASOURCE_PASSWORD.
CREATE ROLE kpi_ledger LOGIN PASSWORD 'change-me';
CREATE DATABASE kpi_ledger OWNER kpi_ledger;
