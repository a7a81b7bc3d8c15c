"""The as-of question: every actor's position in force on a date, optionally for one weapon system.

Every actor and weapons scope (the small `scopes` table) is looked up in the index on
(actor_id, weapons, valid_from): the latest position from on or before the date is the one in
force, because a position lasts until the next one of its scope. One SQL text answers it everywhere: the Python API, the CLI and the Datasette stored query
(a test checks that `datasette.yaml` carries this same text).
"""

AS_OF_SQL = """select p.actor_id, a.name as actor_name, p.weapons, p.stance, p.id as position_id,
  p.valid_from, p.valid_to, p.date_precision, p.role, p.status, p.stated_by, p.summary
from scopes s
join positions p on p.id = (
  select q.id from positions q
  where q.actor_id = s.actor_id and q.weapons = s.weapons and q.valid_from <= :date
  order by q.valid_from desc limit 1)
join actors a on a.id = p.actor_id
where (:actor = '' or s.actor_id = :actor)
  and (
    :weapon = ''
    or s.weapons = :weapon
    or (s.weapons = 'all' and not exists (
      select 1 from positions q
      where q.actor_id = s.actor_id and q.weapons = :weapon and q.valid_from <= :date))
  )
order by p.actor_id, p.weapons"""
