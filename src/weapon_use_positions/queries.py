"""The as-of question: every actor's position in force on a date, optionally for one weapon system.

One SQL text answers it everywhere: the Python API, the CLI and the Datasette stored query
(a test checks that `datasette.yaml` carries this same text).
"""

AS_OF_SQL = """select p.actor_id, a.name as actor_name, p.weapons, p.stance, p.id as position_id,
  p.valid_from, p.valid_to, p.date_precision, p.role, p.status, p.stated_by, p.summary
from positions p join actors a on a.id = p.actor_id
where p.valid_from <= :date
  and (p.valid_to is null or p.valid_to >= :date)
  and (:actor = '' or p.actor_id = :actor)
  and (
    :weapon = ''
    or p.weapons = :weapon
    or (p.weapons = 'all' and not exists (
      select 1 from positions s
      where s.actor_id = p.actor_id and s.weapons = :weapon
        and s.valid_from <= :date and (s.valid_to is null or s.valid_to >= :date)))
  )
order by p.actor_id, p.weapons"""
