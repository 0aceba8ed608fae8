"""Every page of the console, and where each is served (the pages by job: http_sign_in.py,
http_desk.py, http_orders.py, http_incidents.py, http_promises.py, http_accounts.py; what they
share: http_web.py)."""

from __future__ import annotations

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from services.console.adapters.http_accounts import AccountPages
from services.console.adapters.http_announcements import AnnouncementPages
from services.console.adapters.http_desk import DeskPages
from services.console.adapters.http_incidents import IncidentPages
from services.console.adapters.http_orders import ManagerPages, OrderPages
from services.console.adapters.http_promises import PromisePages
from services.console.adapters.http_residents import ResidentPages
from services.console.adapters.http_rounds import RoundPages
from services.console.adapters.http_shifts import ShiftPages
from services.console.adapters.http_sign_in import SignInPages
from services.console.adapters.http_violations import ViolationPages
from services.console.adapters.http_visits import VisitPages
from services.console.adapters.http_web import STATIC


class Pages(
    SignInPages,
    DeskPages,
    OrderPages,
    ManagerPages,
    IncidentPages,
    RoundPages,
    PromisePages,
    AnnouncementPages,
    ShiftPages,
    ViolationPages,
    VisitPages,
    ResidentPages,
    AccountPages,
):
    def routes(self) -> list[Route | Mount]:
        g = self.guarded
        incident_step = g(self.incident_step, post=True)
        return [
            Route("/healthz", self.healthz, methods=["GET"]),  # for /health, signed out
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
            Route("/live/owed", g(self.live_owed), methods=["GET"]),  # the banner's check
            Route("/search", g(self.search), methods=["GET"]),
            Route("/follow-ups", g(self.follow_ups), methods=["GET"]),
            Route("/notices", g(self.notices), methods=["GET"]),
            Route("/notices/{notice}/ack", g(self.acknowledge, post=True), methods=["POST"]),
            Route("/dashboard", g(self.dashboard), methods=["GET"]),
            Route("/rounds", g(self.rounds), methods=["GET"]),  # inspection (docs/INSPECTION.md)
            Route("/rounds", g(self.record_round, post=True), methods=["POST"]),
            Route("/rounds/new", g(self.round_form), methods=["GET"]),
            Route("/violations", g(self.violations), methods=["GET"]),  # docs/VIOLATIONS.md
            Route("/violations", g(self.open_violation, post=True), methods=["POST"]),
            Route("/violations/{case}", g(self.violation), methods=["GET"]),
            Route("/violations/{case}/{verb}", g(self.violation_step, post=True), methods=["POST"]),
            Route("/visits", g(self.visits), methods=["GET"]),  # visits (docs/VISITS.md)
            Route("/visits", g(self.record_visit, post=True), methods=["POST"]),
            Route("/surveys", g(self.survey), methods=["GET"]),
            Route("/residents", g(self.residents), methods=["GET"]),  # docs/RESIDENTS.md
            Route("/residents", g(self.save_resident, post=True), methods=["POST"]),
            Route("/residents/units", g(self.save_unit, post=True), methods=["POST"]),
            Route("/residents/care", g(self.care_roll), methods=["GET"]),  # R11.10
            Route("/residents/visits", g(self.record_care_visit, post=True), methods=["POST"]),
            Route("/reports/{kind}", g(self.report_download), methods=["GET"]),
            Route("/orders", g(self.orders), methods=["GET"]),
            Route("/orders/{order}", g(self.order), methods=["GET"]),
            Route("/orders/{order}/slip", g(self.slip), methods=["GET"]),
            Route("/orders/{order}/{verb}", g(self.order_step, post=True), methods=["POST"]),
            Route("/incidents", g(self.incidents), methods=["GET"]),
            Route("/incidents", g(self.open_incident, post=True), methods=["POST"]),
            Route("/incidents/{incident}", g(self.incident), methods=["GET"]),
            Route("/incidents/{incident}/{verb}", incident_step, methods=["POST"]),
            # promises kept (docs/PROMISES.md, R6.15, R2.6, R11.5)
            Route("/promises", g(self.promises), methods=["GET"]),
            Route("/promises", g(self.make_promise, post=True), methods=["POST"]),
            Route("/promises/missed-call", g(self.record_missed_call, post=True), methods=["POST"]),
            Route("/promises/{promise}/reveal", g(self.reveal_caller, post=True), methods=["POST"]),
            Route("/promises/{promise}/{verb}", g(self.promise_step, post=True), methods=["POST"]),
            # maintenance and outage notices to households (docs/OUTAGES.md)
            Route("/announcements", g(self.announcements), methods=["GET"]),
            Route("/announcements", g(self.announce, post=True), methods=["POST"]),
            Route(
                "/announcements/{notice}/{verb}",
                g(self.announcement_step, post=True),
                methods=["POST"],
            ),
            Route("/shifts", g(self.shifts), methods=["GET"]),  # the shift log (docs/SHIFTS.md)
            Route("/shifts/{verb}", g(self.shift_step, post=True), methods=["POST"]),
            # 账号管理: a colleague's forgotten password reset (docs/CONSOLE.md "Signing in")
            Route("/accounts", g(self.staff_accounts), methods=["GET"]),
            Route("/accounts/reset", g(self.reset_password, post=True), methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ]
