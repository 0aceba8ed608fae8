"""`propdesk demo`: a month of three sites, run through the live services on the simulated clock,
then that month's reports.

The demo starts nats-server and every service in this process on a `SimulatedClock` (the same
`System` as `propdesk up --clock simulated`), and drives them only over NATS, as desks would:
request/reply on `desk.cmd.<site>.<service>.<verb>`, the clock moved with `desk.sim.clock.set`.

Each contact of the month is a *story*: an asyncio task that logs the contact and then moves its
ticket and work orders along, waiting for simulated times (`Timeline.until`). The driver moves the
clock to the earliest time any story waits for, lets every story due then send its commands
(concurrently, through the one client `shared.messaging.client.Bus`), waits until all of them wait
again,
and waits until every consumer of DESK has caught up before it moves the clock again — so
escalation decides exactly what a real month would have made it decide. Every random choice of a
story comes from its own `random.Random` seeded from the demo's seed, so a seed always gives the
same month.

    command.py   the `propdesk demo` command: start everything, play the month, write, stop
    sites.py     the three sites, their staff and people; profiles.py: what their contacts say
    contacts.py  each day's contacts (a `Ticket` each), drawn from a site's profile
    timeline.py  simulated time: site-local times, office hours, the `Timeline` of waiting stories
    driver.py    `Month`: commands, the clock, notices and issued work orders over the bus
    steps.py     the steps stories share; stories.py: each kind of contact's story
    readback.py  the month read back from DESK; summary.py: reports, tables, demo-summary.json
"""
