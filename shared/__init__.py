"""Common code of the PropDesk services: contracts, subjects, bus bootstrap, relay and inbox."""
