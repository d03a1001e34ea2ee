"""Minimal valid records of every kind, built on demand with the parents they need."""

from __future__ import annotations

from companion.core.service import Workspace


class Maker:
    """Creates one valid record of any kind (and its parents) through the services."""

    def __init__(self, ws: Workspace):
        self.ws = ws
        self.cache: dict[str, str] = {}

    def id(self, kind: str) -> str:
        if kind not in self.cache:
            self.cache[kind] = self.ws.create(kind=kind, values=self.values(kind)).created_id
        return self.cache[kind]

    def values(self, kind: str) -> dict:
        if kind == "colleague":
            return {"name": "Mira Tan", "role": "Account manager", "email": "mira@ourco.example"}
        if kind == "client":
            return {"name": "Halvorsen Offshore"}
        if kind == "sub_group":
            return {"client_id": self.id("client"), "name": "Subsea engineering"}
        if kind == "site":
            return {"client_id": self.id("client"), "name": "Stavanger base"}
        if kind == "contact":
            return {"name": "Ingrid Dahl"}
        if kind == "position":
            return {"contact_id": self.id("contact"), "client_id": self.id("client"), "title": "CFO"}
        if kind == "relationship":
            other = self.ws.create(kind="contact", values={"name": "Per Lunde"}).created_id
            return {"from_contact_id": self.id("contact"), "to_contact_id": other, "type": "ally"}
        if kind == "guideline":
            return {
                "client_id": self.id("client"),
                "polarity": "dont",
                "text": "Never be late.",
                "scope": "client",
            }
        if kind == "note":
            return {"client_id": self.id("client"), "body": "Met at the fair.", "privacy": "team"}
        if kind == "interaction":
            return {"date": "2026-11-01", "channel": "call", "contact_ids": [self.id("contact")]}
        if kind == "follow_up":
            return {"interaction_id": self.id("interaction"), "text": "Send the pricing sheet"}
        if kind == "checklist_template":
            return {"name": "First visit"}
        if kind == "checklist_template_item":
            return {"template_id": self.id("checklist_template"), "text": "Print the org chart"}
        if kind == "meeting":
            return {
                "client_id": self.id("client"),
                "title": "Quarterly review",
                "starts_at": "2026-12-01T09:00:00+01:00",
            }
        if kind == "meeting_checklist_item":
            return {"meeting_id": self.id("meeting"), "text": "Bring ID"}
        if kind == "pack_version":
            return {"client_id": self.id("client"), "number": 1, "content_hash": "0123456789abcdef"}
        if kind == "pack_signoff":
            self.id("pack_version")  # a sign-off names a version that was recorded
            return {
                "client_id": self.id("client"),
                "colleague_id": self.id("colleague"),
                "version": 1,
                "content_hash": "0123456789abcdef",
                "signed_at": "2026-12-02T09:00:00+01:00",
            }
        if kind == "account_plan":
            return {"client_id": self.id("client"), "title": "Plan 2027", "status": "active"}
        if kind == "swot_item":
            return {"plan_id": self.id("account_plan"), "quadrant": "strength", "text": "Trusted on safety"}
        if kind == "objective":
            return {"plan_id": self.id("account_plan"), "title": "Win the subsea maintenance frame"}
        if kind == "measure":
            return {"objective_id": self.id("objective"), "name": "Share of wallet", "unit": "percent"}
        if kind == "measure_reading":
            return {"measure_id": self.id("measure"), "date": "2026-11-01", "value": 12.5}
        if kind == "competitor":
            return {"name": "Nordkyst Services"}
        if kind == "competitor_presence":
            return {"competitor_id": self.id("competitor"), "client_id": self.id("client")}
        if kind == "competitor_tie":
            return {
                "competitor_id": self.id("competitor"),
                "contact_id": self.id("contact"),
                "tie": "worked_there",
            }
        if kind == "risk":
            return {"client_id": self.id("client"), "title": "Sponsor may retire", "status": "open"}
        if kind == "action":
            return {"objective_id": self.id("objective"), "text": "Book the site tour"}
        if kind == "contract":
            return {"client_id": self.id("client"), "title": "Frame agreement 2024"}
        if kind == "warning_decision":
            return {"client_id": self.id("client"), "warning": "no_supporter", "decision": "dismissed"}
        if kind == "proposition":
            return {"title": "Predictive subsea maintenance", "status": "approved"}
        if kind == "cohort":
            return {"name": "North Sea operators", "tags": ["offshore"]}
        if kind == "campaign":
            return {
                "name": "Predictive maintenance, winter",
                "proposition_id": self.id("proposition"),
                "cohort_id": self.id("cohort"),
                "status": "running",
            }
        if kind == "opportunity":
            return {"client_id": self.id("client"), "title": "Subsea sensors pilot", "stage": "qualifying"}
        if kind == "opportunity_contact":
            return {"opportunity_id": self.id("opportunity"), "contact_id": self.id("contact")}
        if kind == "campaign_target":
            return {
                "campaign_id": self.id("campaign"),
                "client_id": self.id("client"),
                "status": "to_approach",
            }
        if kind == "review":
            return {"client_id": self.id("client"), "title": "Q4 business review", "kind": "quarterly",
                    "held_on": "2026-12-01"}  # fmt: skip
        if kind == "success_factor_rating":
            return {"client_id": self.id("client"), "factor": "focal_point", "period_from": "2026-07-01",
                    "rating": 4}  # fmt: skip
        if kind == "survey":
            return {"title": "Client satisfaction 2026", "status": "running"}
        if kind == "survey_question":
            return {
                "survey_id": self.id("survey"),
                "type": "nps",
                "text": "How likely are you to recommend us?",
            }
        if kind == "survey_response":
            return {"survey_id": self.id("survey"), "client_id": self.id("client"), "date": "2026-12-02",
                    "channel": "in_person"}  # fmt: skip
        if kind == "survey_answer":
            return {
                "response_id": self.id("survey_response"),
                "question_id": self.id("survey_question"),
                "score": 9,
            }
        raise KeyError(kind)
