"""How each published event changes reporting's read models: pure steps, keyed by the envelope
class, each table a `shared.eventstore.views.Projector`. No storage here (that is `views/`)."""
