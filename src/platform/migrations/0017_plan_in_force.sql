-- The plan a new case of an organisation runs under, as plans.resolveSlaPolicy decides it: the plan of
-- the contract in force on that date (the latest starting, then the latest created), else the plan
-- the organisation's plan reference names; null when neither exists. The case insert sets it, so a
-- case on a plan is written once: the SLA handler used to set plan_id right after, an update that
-- could not stay on the row's page and so added an entry to each index the case is in.
create or replace function casebook_plan_in_force(org uuid, on_date date) returns uuid
language sql stable as $$
  select coalesce(
    (select c.plan_id from contracts c
      where c.organization_id = org and c.starts_on <= on_date and c.ends_on >= on_date
      order by c.starts_on desc, c.created_at desc limit 1),
    (select p.id from organizations o join plans p on p.code = o.plan_code where o.id = org))
$$;
