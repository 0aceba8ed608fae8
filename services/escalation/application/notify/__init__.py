"""Escalation's notification channel (docs/NOTIFICATIONS.md): each notification to a role is
e-mailed or posted to the places the site's `notify` names for that role, and sent again while
nobody acknowledges it. `channel.py` decides what is due, `tracking.py` remembers what was sent,
`message.py` says it; `adapters/notify_senders.py` carries it (SMTP, HTTP)."""
