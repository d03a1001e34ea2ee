"""Satisfaction surveys: NPS and CSAT arithmetic, a survey's results, taking and editing a response."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from companion.core.changes import ChangeSet, Edit, Record
from companion.model.errors import ValidationError
from companion.model.ids import new_id

if TYPE_CHECKING:  # the services load SQLAlchemy: not needed to import this module
    from companion.core.service import Workspace

# The scores each type of question takes: the answer kind's field allows 0–10 for both, the question's
# type narrows it.
SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5)}
# How a question's type is written for a person ("Nps" is what a generic label would make of it).
TYPE_LABELS = {"nps": "NPS", "csat": "CSAT", "text": "Text"}
# The order surveys are offered in: the ones being answered now first.
STATUS_ORDER = ("running", "draft", "closed")
# NPS: 9–10 recommend us, 0–6 would not (7–8 are passive and count only in the total).
PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6

Answer = int | str | None


def nps(scores: Iterable[int | None]) -> float | None:
    """The Net Promoter Score of 0–10 scores: % promoters (9–10) minus % detractors (0–6), to one decimal;
    None without a score."""
    given = [s for s in scores if s is not None]
    if not given:
        return None
    promoters = sum(1 for s in given if s >= PROMOTER_FROM)
    detractors = sum(1 for s in given if s <= DETRACTOR_UP_TO)
    return nps_of_counts(len(given), promoters, detractors)


def nps_of_counts(answers: int, promoters: int, detractors: int) -> float:
    """The NPS of answers counted elsewhere (in SQL, by quarter): one arithmetic and one rounding for a
    survey's results, the scorecard and the early warnings."""
    return round(100 * (promoters - detractors) / answers, 1)


def csat_of_total(answers: int, total: int) -> float:
    """The CSAT of answers summed elsewhere, rounded as `csat` rounds."""
    return round(total / answers, 2)


def is_detractor(score: int | None) -> bool:
    """A 0–6 answer to an NPS question: someone who would not recommend us."""
    return score is not None and score <= DETRACTOR_UP_TO


def csat(scores: Iterable[int | None]) -> float | None:
    """The mean of 1–5 satisfaction scores, to two decimals; None without a score."""
    given = [s for s in scores if s is not None]
    return csat_of_total(len(given), sum(given)) if given else None


def survey_order(status: object, title: object) -> tuple[int, str]:
    """Running surveys first, then drafts, then closed ones; by title within each."""
    place = STATUS_ORDER.index(str(status)) if status in STATUS_ORDER else len(STATUS_ORDER)
    return (place, str(title or "").casefold())


def questions_of(workspace: Workspace, survey_id: str) -> list[Record]:
    """The survey's questions in the order they are asked (position, then as written)."""
    questions = workspace.list(kind="survey_question", where={"survey_id": survey_id})
    return sorted(questions, key=_question_order)


def _question_order(question: Record) -> tuple:
    position = question["position"]
    return (position is None, position or 0, str(question["text"]).casefold(), question.id)


def question_name(number: int, question_type: object) -> str:
    """How an error or a result names a question: "Question 2 (CSAT)"."""
    return f"Question {number} ({TYPE_LABELS.get(str(question_type), str(question_type))})"


def next_position(workspace: Workspace, survey_id: str) -> int:
    """The position a question added to the survey takes: after the last."""
    positions = [q["position"] for q in questions_of(workspace, survey_id) if q["position"] is not None]
    return max(positions, default=0) + 1


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    id: str
    number: int  # 1 for the first question asked
    position: int | None
    type: str
    text: str
    count: int  # how many answered it
    score: float | None  # NPS (−100…100) or CSAT (1–5); None for a text question or no answers
    texts: tuple[str, ...]  # a text question's answers, newest response first


@dataclass(frozen=True)
class ClientResult:
    client_id: str
    client_name: str
    responses: int
    nps: float | None
    csat: float | None


@dataclass(frozen=True)
class ResponseRow:
    id: str
    client_id: str
    client_name: str
    contact_id: str | None
    person: str | None
    date: str
    channel: str
    comment: str | None
    nps_score: int | None  # the answer to its first NPS question
    detractor: bool
    scores: tuple[tuple[int, str, int], ...]  # (question number, type, score) of each scored answer
    texts: tuple[tuple[int, str], ...]  # (question number, text) of each written answer


@dataclass(frozen=True)
class SurveyResults:
    survey: Record
    questions: tuple[QuestionResult, ...]
    responses: tuple[ResponseRow, ...]  # newest first
    nps: float | None  # over every NPS answer
    csat: float | None  # over every CSAT answer
    by_client: tuple[ClientResult, ...]  # by client name

    @property
    def detractors(self) -> int:
        return sum(1 for r in self.responses if r.detractor)


def survey_results(workspace: Workspace, *, survey_id: str) -> SurveyResults:
    """What a survey found: each question's count and NPS, CSAT or written answers; overall NPS and CSAT;
    by client; and the responses with the person, client, date, channel and verbatim comment."""
    survey = workspace.get(kind="survey", id=survey_id)
    questions = questions_of(workspace, survey_id)
    number = {q.id: n for n, q in enumerate(questions, start=1)}
    kind_of = {q.id: str(q["type"]) for q in questions}
    responses = workspace.list(kind="survey_response", where={"survey_id": survey_id})
    responses.sort(key=lambda r: (str(r["date"]), r.created_at), reverse=True)
    answers_by_response: dict[str, list[Record]] = defaultdict(list)
    if responses and questions:
        for answer in workspace.list(
            kind="survey_answer",
            where={"response_id": [r.id for r in responses], "question_id": list(number)},
        ):
            answers_by_response[str(answer["response_id"])].append(answer)
    clients = workspace.get_many(kind="client", ids=sorted({str(r["client_id"]) for r in responses}))
    people = workspace.get_many(
        kind="contact", ids=sorted({str(r["contact_id"]) for r in responses if r["contact_id"]})
    )

    scores_of: dict[str, list[int]] = defaultdict(list)  # by question, newest response first
    texts_of: dict[str, list[str]] = defaultdict(list)
    by_client: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"nps": [], "csat": [], "n": []})
    rows = []
    for response in responses:
        client_id = str(response["client_id"])
        answers = sorted(answers_by_response[response.id], key=lambda a: number[str(a["question_id"])])
        scored, written = [], []
        for answer in answers:
            question_id = str(answer["question_id"])
            question_type = kind_of[question_id]
            if question_type == "text":
                if answer["text"]:
                    texts_of[question_id].append(str(answer["text"]))
                    written.append((number[question_id], str(answer["text"])))
            elif answer["score"] is not None:
                score = int(answer["score"])
                scores_of[question_id].append(score)
                by_client[client_id][question_type].append(score)
                scored.append((number[question_id], question_type, score))
        by_client[client_id]["n"].append(1)
        first_nps = next((score for _n, kind, score in scored if kind == "nps"), None)
        contact_id = str(response["contact_id"]) if response["contact_id"] else None
        person = people.get(contact_id) if contact_id else None
        rows.append(
            ResponseRow(
                id=response.id,
                client_id=client_id,
                client_name=_name(clients.get(client_id)),
                contact_id=contact_id,
                person=str(person["name"]) if person is not None else None,
                date=str(response["date"]),
                channel=str(response["channel"]),
                comment=str(response["comment"]) if response["comment"] else None,
                nps_score=first_nps,
                detractor=any(kind == "nps" and is_detractor(score) for _n, kind, score in scored),
                scores=tuple(scored),
                texts=tuple(written),
            )
        )

    results = []
    for question in questions:
        question_type = kind_of[question.id]
        scores = scores_of[question.id]
        texts = texts_of[question.id]
        score = nps(scores) if question_type == "nps" else csat(scores) if question_type == "csat" else None
        results.append(
            QuestionResult(
                id=question.id,
                number=number[question.id],
                position=question["position"],
                type=question_type,
                text=str(question["text"]),
                count=len(texts) if question_type == "text" else len(scores),
                score=score,
                texts=tuple(texts),
            )
        )
    every_nps = [s for q in questions if kind_of[q.id] == "nps" for s in scores_of[q.id]]
    every_csat = [s for q in questions if kind_of[q.id] == "csat" for s in scores_of[q.id]]
    per_client = sorted(
        (
            ClientResult(
                client_id=client_id,
                client_name=_name(clients.get(client_id)),
                responses=len(found["n"]),
                nps=nps(found["nps"]),
                csat=csat(found["csat"]),
            )
            for client_id, found in by_client.items()
        ),
        key=lambda c: (c.client_name.casefold(), c.client_id),
    )
    return SurveyResults(
        survey=survey,
        questions=tuple(results),
        responses=tuple(rows),
        nps=nps(every_nps),
        csat=csat(every_csat),
        by_client=tuple(per_client),
    )


def position_after(questions: Iterable[QuestionResult]) -> int:
    """The position a question added after these takes."""
    return max((q.position for q in questions if q.position is not None), default=0) + 1


def results_csv(results: SurveyResults) -> str:
    """A survey's responses as CSV, one a line, newest first: date, client, person, channel, each
    question's answer (a column each, headed "Q1 NPS: its text"), the comment, and whether a detractor."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    questions = [f"Q{q.number} {TYPE_LABELS.get(q.type, q.type)}: {q.text}" for q in results.questions]
    writer.writerow(["date", "client", "person", "channel", *questions, "comment", "detractor"])
    for row in results.responses:
        given: dict[int, object] = {number: score for number, _type, score in row.scores}
        given.update(dict(row.texts))
        answers = [given.get(q.number, "") for q in results.questions]
        writer.writerow(
            [row.date, row.client_name, row.person or "", row.channel, *answers, row.comment or "",
             "yes" if row.detractor else ""]
        )  # fmt: skip
    return out.getvalue()


def _name(record: Record | None) -> str:
    return str(record["name"]) if record is not None else "?"


@dataclass(frozen=True)
class SurveyRow:
    """A survey as the list of surveys shows it."""

    survey: Record
    questions: int
    responses: int
    nps: float | None


def survey_rows(workspace: Workspace) -> list[SurveyRow]:
    """Every survey with its number of questions and responses and its NPS; running ones first."""
    surveys = workspace.list(kind="survey")
    questions = workspace.columns(kind="survey_question", fields=["id", "survey_id", "type"], ordered=False)
    responses = workspace.columns(kind="survey_response", fields=["id", "survey_id"], ordered=False)
    answers = workspace.columns(
        kind="survey_answer", fields=["response_id", "question_id", "score"], ordered=False
    )
    nps_questions = {question_id: survey for question_id, survey, kind in questions if kind == "nps"}
    question_count: dict[str, int] = defaultdict(int)
    for _id, survey, _kind in questions:
        question_count[str(survey)] += 1
    survey_of_response = {response_id: str(survey) for response_id, survey in responses}
    response_count: dict[str, int] = defaultdict(int)
    for survey in survey_of_response.values():
        response_count[survey] += 1
    scores: dict[str, list[int]] = defaultdict(list)
    for response_id, question_id, score in answers:
        if question_id in nps_questions and response_id in survey_of_response and score is not None:
            scores[str(nps_questions[question_id])].append(int(score))
    rows = [SurveyRow(s, question_count[s.id], response_count[s.id], nps(scores[s.id])) for s in surveys]
    rows.sort(key=lambda row: survey_order(row.survey["status"], row.survey["title"]))
    return rows


# --- taking a response ---------------------------------------------------------------------------


def _checked_answers(
    questions: Sequence[Record], answers: Mapping[str, Answer]
) -> list[tuple[Record, dict[str, object]]]:
    """Each question answered with the answer's values (score or text), in the order asked; a score out
    of the question's range, or an answer of the wrong sort, is refused naming the question."""
    by_id = {q.id: (n, q) for n, q in enumerate(questions, start=1)}
    unknown = [question_id for question_id in answers if question_id not in by_id]
    if unknown:
        raise ValidationError(
            f"Survey answer · Question (question_id): {unknown[0]} is not a question of this survey.",
            kind="survey_answer",
            field="question_id",
        )
    checked = []
    for question_id, given in sorted(answers.items(), key=lambda item: by_id[item[0]][0]):
        number, question = by_id[question_id]
        question_type = str(question["type"])
        name = question_name(number, question_type)
        if given is None or (isinstance(given, str) and not given.strip()):
            continue  # not answered
        if question_type == "text":
            if not isinstance(given, str):
                raise ValidationError(
                    f"{name}: a written answer, not a score.", kind="survey_answer", field="text"
                )
            checked.append((question, {"text": given.strip()}))
            continue
        low, high = SCORE_RANGES[question_type]
        score = _score(given)
        if score is None or not low <= score <= high:
            raise ValidationError(
                f"{name}: a score from {low} to {high}.", kind="survey_answer", field="score"
            )
        checked.append((question, {"score": score}))
    return checked


def _score(given: Answer) -> int | None:
    """A whole number given as one ("7" is 7), else None."""
    if isinstance(given, bool):
        return None
    if isinstance(given, int):
        return given
    if isinstance(given, str) and given.strip().isdigit():
        return int(given.strip())
    return None


def _who(workspace: Workspace, client_id: str, contact_id: str | None) -> str:
    """The person answering by name, or their client's."""
    if contact_id:
        person = workspace.get_many(kind="contact", ids=[contact_id]).get(contact_id)
        if person is not None:
            return str(person["name"])
    return _name(workspace.get_many(kind="client", ids=[client_id]).get(client_id))


def take_response(
    workspace: Workspace,
    *,
    survey_id: str,
    client_id: str,
    contact_id: str | None,
    date: str,
    channel: str,
    answers: Mapping[str, Answer],
    comment: str = "",
    meeting_id: str | None = None,
) -> ChangeSet:
    """Writes one person's answers to a survey: the response and its answers as one undoable change.
    Every answer is checked against its question before anything is written (`_checked_answers`); a
    response with no answer and no comment is refused."""
    workspace.get(kind="survey", id=survey_id)  # a survey that is not there says so
    checked = _checked_answers(questions_of(workspace, survey_id), answers)
    if not checked and not comment.strip():
        raise ValidationError(
            "Survey response: answer at least one question or write the comment.",
            kind="survey_response",
            field="comment",
        )
    response_id = new_id()
    values = {
        "survey_id": survey_id,
        "client_id": client_id,
        "contact_id": contact_id or None,
        "date": date,
        "channel": channel,
        "comment": comment.strip() or None,
        "meeting_id": meeting_id or None,
    }
    edits = [Edit("create", "survey_response", response_id, values)]
    edits += [
        Edit("create", "survey_answer", new_id(), {"response_id": response_id, "question_id": q.id, **given})
        for q, given in checked
    ]
    who = _who(workspace, client_id, contact_id)
    return workspace.apply(edits=edits, label=f"Take a survey response from {who}")


def answers_of(workspace: Workspace, *, response_id: str) -> dict[str, Answer]:
    """A response's answers by question: its score, or its text for a written one."""
    found = workspace.list(kind="survey_answer", where={"response_id": response_id})
    return {str(a["question_id"]): a["score"] if a["score"] is not None else a["text"] for a in found}


def edit_response(
    workspace: Workspace,
    *,
    response_id: str,
    answers: Mapping[str, Answer],
    values: Mapping[str, object] | None = None,
) -> ChangeSet:
    """Changes a response's own fields (`values`: date, channel, comment…) and its answers in one undoable
    change: a question answered anew gets an answer, one answered otherwise is changed, one left empty
    loses its answer. Questions not in `answers` keep theirs."""
    response = workspace.get(kind="survey_response", id=response_id)
    survey_id = str(response["survey_id"])
    questions = questions_of(workspace, survey_id)
    checked = dict((q.id, given) for q, given in _checked_answers(questions, answers))
    existing = {
        str(a["question_id"]): a
        for a in workspace.list(kind="survey_answer", where={"response_id": response_id})
    }
    edits = []
    if values:
        edits.append(Edit("update", "survey_response", response_id, dict(values)))
    for question_id in answers:
        answer = existing.get(question_id)
        given = checked.get(question_id)
        if given is None:
            if answer is not None:
                edits.append(Edit("delete", "survey_answer", answer.id))
        elif answer is None:
            edits.append(
                Edit(
                    "create",
                    "survey_answer",
                    new_id(),
                    {"response_id": response_id, "question_id": question_id, **given},
                )
            )
        else:
            edits.append(Edit("update", "survey_answer", answer.id, {"score": None, "text": None, **given}))
    who = _who(workspace, str(response["client_id"]), response["contact_id"])
    return workspace.apply(edits=edits, label=f"Edit the survey response from {who}")


def delete_response(workspace: Workspace, *, response_id: str) -> ChangeSet:
    """Deletes a response with its answers, as one undoable change."""
    response = workspace.get(kind="survey_response", id=response_id)
    who = _who(workspace, str(response["client_id"]), response["contact_id"])
    return workspace.apply(
        edits=[Edit("delete", "survey_response", response_id, {"cascade": True})],
        label=f"Delete the survey response from {who}",
    )


def move_question(workspace: Workspace, *, question_id: str, step: int) -> ChangeSet:
    """Moves a question up (step −1) or down (+1) among its survey's questions, numbering them 1, 2, 3…
    in the new order, as one undoable change; nothing at the top or the bottom."""
    question = workspace.get(kind="survey_question", id=question_id)
    ordered = questions_of(workspace, str(question["survey_id"]))
    place = next(n for n, q in enumerate(ordered) if q.id == question_id)
    to = place + step
    if not 0 <= to < len(ordered):
        return ChangeSet((), "")
    ordered[place], ordered[to] = ordered[to], ordered[place]
    edits = [
        Edit("update", "survey_question", q.id, {"position": n})
        for n, q in enumerate(ordered, start=1)
        if q["position"] != n
    ]
    word = "up" if step < 0 else "down"
    return workspace.apply(edits=edits, label=f"Move the question {word}")
