"""Retention under clause 5.6.2: the rule, holds, review -> order -> execution, and proofs."""

from retention.certificate import certificate_data, issue_certificate, load_certificate
from retention.errors import RetentionError
from retention.execute import ExecutionReport, execute_order, execution_report
from retention.holds import (
    held_citizen_ids,
    hold_as_dict,
    is_held,
    list_holds,
    place_hold,
    release_hold,
)
from retention.review import Excluded, Review, run_review
from retention.rule import (
    Candidate,
    Verdict,
    assess,
    attribute_documents,
    past_retention,
    shortest_prefix,
)
from retention.workflow import (
    Necessity,
    approve,
    order_as_dict,
    proposal_as_dict,
    propose,
    reject,
    save_review,
)

__all__ = [
    "Candidate",
    "Excluded",
    "ExecutionReport",
    "Necessity",
    "RetentionError",
    "Review",
    "Verdict",
    "approve",
    "assess",
    "attribute_documents",
    "certificate_data",
    "execute_order",
    "execution_report",
    "held_citizen_ids",
    "hold_as_dict",
    "is_held",
    "issue_certificate",
    "list_holds",
    "load_certificate",
    "order_as_dict",
    "past_retention",
    "place_hold",
    "proposal_as_dict",
    "propose",
    "reject",
    "release_hold",
    "run_review",
    "save_review",
    "shortest_prefix",
]
