"""The front desk's web console (前台控制台): a fifth process that serves each site office's staff
over HTTP and talks to the services only over the published contract, with the site's identity."""
