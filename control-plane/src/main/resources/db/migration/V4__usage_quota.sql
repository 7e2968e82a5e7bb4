-- Fedplane store, schema 4: each tenant's quota is repeated on its usage row (the tenant's
-- admission lock), so that admitting a new app reads usage and quota with the one locking SELECT.
ALTER TABLE tenant_usage ADD COLUMN quota TEXT;
UPDATE tenant_usage SET quota = (SELECT quota FROM tenants WHERE tenants.name = tenant_usage.tenant);
