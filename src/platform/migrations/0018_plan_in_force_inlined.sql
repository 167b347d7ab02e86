-- casebook_plan_in_force (0017), same rule, as a table function the case insert joins: PostgreSQL
-- inlines a one-SELECT SQL table function into the calling statement, so the rule is planned with
-- the insert (whose plan is kept) and costs two index probes per case. The scalar SQL function of
-- 0017 could not be inlined (its body has subqueries): the SQL-function executor planned its body
-- again at every execution of the insert. Measured at 8 concurrent creations on 2 cores, the insert
-- statement took ~0.64 ms per batch of ~4 cases with the scalar function and ~0.57 ms with this one
-- (with the scalar function in PL/pgSQL, which keeps its plans, ~0.60 ms).
-- It returns exactly one row (a SELECT without FROM): null when no plan applies.
drop function casebook_plan_in_force(uuid, date);
create function casebook_plan_in_force(org uuid, on_date date) returns table (plan_id uuid)
language sql stable as $$
  select coalesce(
    (select c.plan_id from contracts c
      where c.organization_id = org and c.starts_on <= on_date and c.ends_on >= on_date
      order by c.starts_on desc, c.created_at desc limit 1),
    (select p.id from organizations o join plans p on p.code = o.plan_code where o.id = org))
$$;
