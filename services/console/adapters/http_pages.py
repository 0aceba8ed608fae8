"""Every page of the console, and where each is served (the pages by job: http_sign_in.py,
http_desk.py, http_orders.py, http_incidents.py; what they share: http_web.py)."""

from __future__ import annotations

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from services.console.adapters.http_desk import DeskPages
from services.console.adapters.http_incidents import IncidentPages
from services.console.adapters.http_orders import ManagerPages, OrderPages
from services.console.adapters.http_residents import ResidentPages
from services.console.adapters.http_rounds import RoundPages
from services.console.adapters.http_sign_in import SignInPages
from services.console.adapters.http_web import STATIC


class Pages(
    SignInPages, DeskPages, OrderPages, ManagerPages, IncidentPages, RoundPages, ResidentPages
):
    def routes(self) -> list[Route | Mount]:
        g = self.guarded
        incident_step = g(self.incident_step, post=True)
        return [
            Route("/login", self.login_page, methods=["GET"]),
            Route("/login", self.login, methods=["POST"]),
            Route("/password", g(self.password_page), methods=["GET"]),
            Route("/password", g(self.change_password, post=True), methods=["POST"]),
            Route("/logout", g(self.logout, post=True), methods=["POST"]),
            Route("/", g(self.home), methods=["GET"]),
            Route("/desk", g(self.desk_form), methods=["GET"]),
            Route("/desk", g(self.report, post=True), methods=["POST"]),
            Route("/tickets", g(self.tickets), methods=["GET"]),
            Route("/tickets/{ticket}", g(self.ticket), methods=["GET"]),
            Route("/tickets/{ticket}/{verb}", g(self.act, post=True), methods=["POST"]),
            Route("/live", g(self.live), methods=["GET"]),
            Route("/search", g(self.search), methods=["GET"]),
            Route("/follow-ups", g(self.follow_ups), methods=["GET"]),
            Route("/notices", g(self.notices), methods=["GET"]),
            Route("/notices/{notice}/ack", g(self.acknowledge, post=True), methods=["POST"]),
            Route("/dashboard", g(self.dashboard), methods=["GET"]),
            Route("/rounds", g(self.rounds), methods=["GET"]),  # inspection (docs/INSPECTION.md)
            Route("/residents", g(self.residents), methods=["GET"]),  # docs/RESIDENTS.md
            Route("/residents", g(self.save_resident, post=True), methods=["POST"]),
            Route("/residents/units", g(self.save_unit, post=True), methods=["POST"]),
            Route("/reports/{kind}", g(self.report_download), methods=["GET"]),
            Route("/orders", g(self.orders), methods=["GET"]),
            Route("/orders/{order}", g(self.order), methods=["GET"]),
            Route("/orders/{order}/slip", g(self.slip), methods=["GET"]),
            Route("/orders/{order}/{verb}", g(self.order_step, post=True), methods=["POST"]),
            Route("/incidents", g(self.incidents), methods=["GET"]),
            Route("/incidents", g(self.open_incident, post=True), methods=["POST"]),
            Route("/incidents/{incident}", g(self.incident), methods=["GET"]),
            Route("/incidents/{incident}/{verb}", incident_step, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
