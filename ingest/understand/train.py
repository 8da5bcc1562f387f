"""Train the category classifier: `python -m ingest.understand.train [--out FILE]`.

Reproducible: the corpus is the fixture generator's TRAIN split plus the extra training papers
(corpus.TRAINING_SPLITS; held-out and fresh templates, wording and fonts never enter), and the
handbook's own words for each category (clause 3.5, DESCRIPTIONS), damaged by noise.ocr_noise,
everything seeded. Corrections made in
the review queue join as extra examples when the data dir's model is retrained.

How much to trust the n-gram model against the rule phrases (and how sharp the probabilities
are) is fitted on out-of-fold predictions where every fold leaves whole template variants out:
the situation of a scan whose layout nobody trained on.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import optimize, sparse
from sqlalchemy import select

from ingest.understand.classify import (
    CATEGORIES,
    DEFAULT_MODEL,
    Classifier,
    Mix,
    mixed_scores,
    model_dir,
    model_versions,
    ngrams,
    rule_vector,
)
from ingest.understand.corpus import TRAINING_SPLITS, persons_for, samples
from ingest.understand.noise import ocr_noise
from ingest.understand.rules import RULES, evidence

if TYPE_CHECKING:
    from archive.archive import Archive

log = logging.getLogger(__name__)

DEFAULT_SEED = 20260122
PER_TEMPLATE = 90
MAX_FEATURES = 60_000
MIN_DF = 3
L2 = 3e-5
# The L2 penalty is chosen among these by the out-of-fold log-loss on template variants each
# fold left out: how sure the model may be of layouts it has not seen.
L2_GRID = (1e-5, 3e-5, 1e-4)
FOLDS = 3
ALWAYS = "+"
PHRASE_DOCS = 60  # per category
FRAGMENTS = 0.4  # share of fixture texts that also give a calibration fragment
REVIEW_WEIGHT = 3.0  # a reviewer's decision on a real scan counts more than a fixture text


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    group: str  # template variant; whole groups are left out together in validation
    weight: float = 1.0
    fit: bool = True  # False: only for calibration (a fragment of a page)


def fixture_examples(*, seed: int = DEFAULT_SEED, per_template: int = PER_TEMPLATE
                     ) -> list[Example]:
    """Training-split fixture texts, each once with OCR damage of a random severity; and
    fragments of some (a few lines), used only to calibrate how sure a short text may be."""
    rng = random.Random(f"noise:{seed}")
    out = []
    everything = (sample for split in TRAINING_SPLITS
                  for sample in samples(split, per_template=per_template, seed=seed,
                                        persons=persons_for(seed, 90)))
    for sample in everything:
        severity = 0.0 if rng.random() < 0.12 else rng.uniform(0.3, 2.0)
        text = ocr_noise(sample.text, rng, severity)
        out.append(Example(text, sample.category, sample.spec.variant))
        if rng.random() < FRAGMENTS:
            lines = [ln for ln in text.split("\n") if ln.strip()]
            start = rng.randrange(len(lines))
            piece = "\n".join(lines[start:start + rng.randint(1, 4)])
            out.append(Example(piece, sample.category, sample.spec.variant, fit=False))
    return out


# What clause 3.5 of the ก.ค.ศ. handbook (shared/seeds, DOMAIN.md) files under each category,
# in its own words, cut into phrases: the domain's vocabulary beyond any one template.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "appointment": ("คำสั่งบรรจุและแต่งตั้งให้เข้ารับราชการ", "ข้าราชการครูและบุคลากรทางการศึกษา",
                    "เอกสารหลักฐานการรายงานตัวเข้ารับราชการ", "การรายงานตัว"),
    "qualification": ("สำเนาวุฒิการศึกษา", "ที่ใช้สมัครเข้ารับราชการ", "วุฒิการศึกษา",
                      "ประกาศนียบัตรหรือปริญญาบัตร", "สาขาวิชาเอก วิชาโท",
                      "วุฒิการศึกษาที่ใช้ในการบรรจุ", "ได้รับการรับรองตามที่ ก.ค.ศ. หรือ ก.พ. กำหนด"),
    "background_check": ("หลักฐานการตรวจสอบประวัติ", "หนังสือแจ้งผลการตรวจสอบการพิมพ์ลายนิ้วมือ",
                         "สำนักงานตำรวจแห่งชาติ", "แผ่นพิมพ์ลายนิ้วมือ"),
    "personal_status": ("หลักฐานเกี่ยวกับสถานะของบุคคล", "สำเนาสูติบัตร", "ใบสำคัญการเปลี่ยนชื่อ",
                        "ใบสำคัญการเปลี่ยนชื่อสกุล", "ใบสำคัญการสมรส", "ใบสำคัญการหย่า",
                        "ใบสำคัญทางทหาร"),
    "status_orders": ("คำสั่งเกี่ยวกับสถานะของเจ้าของประวัติ", "คำสั่งรับโอน", "คำสั่งให้โอน",
                      "คำสั่งเลื่อนเงินเดือน", "คำสั่งให้มีและเลื่อนวิทยฐานะ",
                      "คำสั่งเลื่อนระดับตำแหน่ง", "การพ้นทดลองปฏิบัติหน้าที่ราชการ",
                      "เงินประจำตำแหน่ง เงินวิทยฐานะ และค่าตอบแทน", "การเปลี่ยนตำแหน่ง ย้าย โอน",
                      "การตัดโอนตำแหน่งและอัตราเงินเดือน", "การรักษาราชการแทน",
                      "การออกจากราชการ", "การแก้ไขคำสั่ง", "การยกเลิกคำสั่ง"),
    "house_registration": ("สำเนาทะเบียนบ้านฉบับปัจจุบัน", "ทะเบียนบ้าน"),
    "education_training": ("เอกสารหลักฐานเกี่ยวกับการศึกษา", "การฝึกอบรมและพัฒนาตนเอง",
                           "การปฏิบัติงานวิจัย", "การดูงาน", "ประวัติการฝึกอบรมและพัฒนาตนเอง",
                           "ประวัติการปฏิบัติงานวิจัย", "การดูงานทั้งในประเทศและต่างประเทศ",
                           "การลาไปศึกษา ฝึกอบรม ปฏิบัติงานวิจัย หรือดูงาน"),
    # Clause 4.4.5 and the areas of item 19 of the ก.ค.ศ.๑๖ form.
    "special_abilities": ("เอกสารหลักฐานเกี่ยวกับความสามารถพิเศษ", "ความสามารถพิเศษ",
                          "นอกเหนือความรู้ความสามารถที่ต้องใช้ปฏิบัติราชการในตำแหน่งหน้าที่",
                          "สามารถใช้ประโยชน์ต่อทางราชการได้", "ด้านเกษตรกรรม",
                          "ด้านกิจกรรม นันทนาการ", "ด้านกีฬา", "ด้านนาฏศิลป์ ดนตรี", "ด้านภาษา",
                          "ด้านศาสนา วัฒนธรรม", "ด้านศิลปะ หัตถกรรม คหกรรม",
                          "ด้านอุตสาหกรรม เทคโนโลยี"),
    "special_service": ("เอกสารหลักฐานเกี่ยวกับการปฏิบัติราชการพิเศษ", "การปฏิบัติราชการพิเศษ",
                        "ช่วงเวลา รายละเอียดการปฏิบัติราชการพิเศษ"),
    "discipline": ("การถูกดำเนินการทางวินัย", "การได้รับโทษทางวินัย", "การล้างมลทิน",
                   "การนิรโทษกรรม", "การฝ่าฝืนจริยธรรม", "คำสั่งแต่งตั้งคณะกรรมการสอบสวนทางวินัย",
                   "คำสั่งลงโทษทางวินัย", "การงดโทษ", "การทำทัณฑ์บนเป็นหนังสือ",
                   "การว่ากล่าวตักเตือน", "การลดโทษ", "การเพิ่มโทษ", "การฝ่าฝืนจรรยาบรรณ",
                   "สถานโทษ ลักษณะความผิด", "ภาคทัณฑ์ ตัดเงินเดือน ลดเงินเดือน ปลดออก ไล่ออก"),
    # Clause 4.4.9 also counts areas of war, riot suppression and declared emergencies.
    "martial_law": ("วันที่ได้ประจำหน้าที่อยู่ในเขตที่ได้มีประกาศใช้กฎอัยการศึก", "กฎอัยการศึก",
                    "ปฏิบัติราชการในพื้นที่ที่มีการรบ สงคราม", "การปราบปรามการจลาจล",
                    "ประกาศสถานการณ์ฉุกเฉิน"),
    "decorations": ("การได้รับเครื่องราชอิสริยาภรณ์", "เหรียญตรา", "เครื่องราชอิสริยาภรณ์",
                    "ที่ได้รับพระราชทานตามที่ประกาศในราชกิจจานุเบกษา", "เล่ม ตอนที่ หน้า"),
    "professional_license": ("สำเนาใบอนุญาตประกอบวิชาชีพ", "หลักฐานที่ใช้แสดงในการประกอบวิชาชีพ",
                             "คุรุสภาออกให้"),
    "honors": ("หลักฐานเกี่ยวกับการได้รับการยกย่องเชิดชูเกียรติ", "การยกย่องเชิดชูเกียรติ"),
    "benefits": ("เอกสารสิทธิประโยชน์", "หนังสือแสดงเจตนาระบุตัวผู้รับเงินช่วยเหลือ",
                 "กรณีข้าราชการถึงแก่ความตาย", "หนังสือแสดงเจตนาระบุตัวผู้รับบำเหน็จตกทอด",
                 "ผู้รับเงินช่วยพิเศษกรณีข้าราชการถึงแก่ความตาย", "รายการผู้รับผลประโยชน์"),
    # Clause 3.5.16, and the leave kinds of item 25 of the ก.ค.ศ.๑๖ form.
    "other": ("เอกสารสำคัญอื่น", "เอกสารการอนุมัติให้แก้ไขวัน เดือน ปีเกิด", "การลาต่าง ๆ",
              "หนังสือรับรองความประพฤติ", "จำนวนวันลาหยุดราชการ ขาดราชการ มาสาย",
              "ลาป่วย", "ลากิจส่วนตัว", "ลาคลอดบุตร", "ลาพักผ่อน", "ลาอุปสมบท",
              "ลาไปประกอบพิธีฮัจญ์", "ลาติดตามคู่สมรส", "ลาไปปฏิบัติงานในองค์การระหว่างประเทศ"),
}


def phrase_examples(*, seed: int = DEFAULT_SEED, per_category: int = PHRASE_DOCS
                    ) -> list[Example]:
    """Short texts made of a category's rule phrases and the handbook's words for it
    (DESCRIPTIONS), damaged like OCR: they teach the n-gram model the words of the domain,
    so it still sees them when OCR breaks the exact phrase, and on templates it was never
    shown."""
    rng = random.Random(f"phrases:{seed}")
    out = []
    for category in CATEGORIES:
        phrases = [phrase for scope_weight_phrases in RULES[category]
                   for phrase in scope_weight_phrases[2]]
        phrases += DESCRIPTIONS[category]
        for _ in range(per_category):
            picked = rng.sample(phrases, k=min(len(phrases), rng.randint(2, 6)))
            text = "\n".join(picked)
            out.append(Example(ocr_noise(text, rng, rng.uniform(0.0, 1.5)), category,
                               f"{ALWAYS}phrases"))
    return out


def _vocabulary(grams: Sequence[Counter[str]]) -> tuple[dict[str, int], np.ndarray]:
    df: Counter[str] = Counter()
    for g in grams:
        df.update(g.keys())
    kept = [w for w, c in df.most_common(MAX_FEATURES) if c >= MIN_DF]
    kept.sort()
    n = len(grams)
    idf = np.array([np.log((1 + n) / (1 + df[w])) + 1.0 for w in kept])
    return {w: i for i, w in enumerate(kept)}, idf


def _matrix(grams: Sequence[Counter[str]], vocab: dict[str, int], idf: np.ndarray
            ) -> sparse.csr_matrix:
    rows, cols, vals = [], [], []
    for r, g in enumerate(grams):
        idx = [vocab[w] for w in g if w in vocab]
        v = np.array([(1.0 + np.log(g[w])) for w in g if w in vocab]) * idf[idx]
        norm = np.linalg.norm(v)
        rows.extend([r] * len(idx))
        cols.extend(idx)
        vals.extend((v / norm if norm else v).tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(grams), len(vocab)))


def fit_softmax(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray, *, l2: float = L2,
                max_iter: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression with an L2 penalty, by L-BFGS (deterministic)."""
    n, d = x.shape
    k = len(CATEGORIES)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    sw = w / w.sum()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, bias = theta[: d * k].reshape(d, k), theta[d * k:]
        z = x @ coef + bias
        z -= z.max(axis=1, keepdims=True)
        lse = np.log(np.exp(z).sum(axis=1))
        logp = z - lse[:, None]
        value = -(sw * logp[np.arange(n), y]).sum() + 0.5 * l2 * (coef ** 2).sum()
        diff = (np.exp(logp) - onehot) * sw[:, None]
        grad = np.concatenate([(x.T @ diff + l2 * coef).ravel(), diff.sum(axis=0)])
        return float(value), grad

    result = optimize.minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B",
                               options={"maxiter": max_iter})
    return result.x[: d * k].reshape(d, k), result.x[d * k:]


def _fit_mix(model_logits: np.ndarray, rule_scores: np.ndarray, n_features: np.ndarray,
             y: np.ndarray) -> Mix:
    """The mix (classify.mixed_scores) minimising the out-of-fold log-loss."""
    def loss(theta: np.ndarray) -> float:
        z = mixed_scores(model_logits, rule_scores, n_features,
                         (theta[0], theta[1], theta[2], theta[3]))
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1))[:, None]
        return float(-logp[np.arange(len(y)), y].mean())

    # A paper that names its kind in none of the rules' words never earns the model more
    # trust than one that does (bare <= 1): out of fold, the new kinds of paper that no rule
    # covers would otherwise teach the mix to trust the model most where it knows least.
    best = optimize.minimize(loss, np.array([1.0, 1.0, 50.0, 1.0]), method="L-BFGS-B",
                             bounds=[(0.05, 20.0), (0.0, 20.0), (0.0, 2000.0), (0.05, 1.0)])
    return float(best.x[0]), float(best.x[1]), float(best.x[2]), float(best.x[3])


def _folds(groups: Sequence[str], categories: Sequence[str], k: int) -> dict[str, int]:
    """Each template variant goes to one fold, the variants of a category spread over folds."""
    by_category: dict[str, list[str]] = {}
    for g, c in zip(groups, categories, strict=True):
        variants = by_category.setdefault(c, [])
        if g not in variants:
            variants.append(g)
    fold = {}
    for i, (_c, variants) in enumerate(sorted(by_category.items())):
        for j, v in enumerate(sorted(variants)):
            fold[v] = (i + j) % k
    return fold


def _accuracy(oof: np.ndarray, rule_scores: np.ndarray, n_features: np.ndarray,
              y: np.ndarray, mix: Mix, whole: np.ndarray) -> dict[str, float]:
    """Out-of-fold accuracy on whole documents of template variants the model never saw."""
    combined = mixed_scores(oof, rule_scores, n_features, mix)
    return {name: float((scores[whole].argmax(1) == y[whole]).mean())
            for name, scores in (("model", oof), ("rules", rule_scores),
                                 ("combined", combined))}


RELIABILITY_EDGES = (0.0, 0.3, 0.4, 0.5, 0.6, 0.8, 0.9, 1.0)


def _reliability(scores: np.ndarray, y: np.ndarray) -> list[dict[str, float]]:
    """How often the best guess is right, by its probability: the figures behind
    classify.CATEGORY_FLOOR and CONFIDENCE_BAR, on whole documents of left-out variants."""
    z = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    best, right = p.max(axis=1), p.argmax(axis=1) == y
    out = []
    for lo, hi in zip(RELIABILITY_EDGES, RELIABILITY_EDGES[1:], strict=False):
        rows = (best >= lo) & ((best < hi) if hi < 1.0 else (best <= hi))
        if rows.any():
            out.append({"from": lo, "documents": int(rows.sum()),
                        "right": round(float(right[rows].mean()), 3)})
    return out


def _log_loss(scores: np.ndarray, y: np.ndarray) -> float:
    z = scores - scores.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1))[:, None]
    return float(-logp[np.arange(len(y)), y].mean())


def train(examples: Sequence[Example], *, folds: int = FOLDS,
          l2: float | Sequence[float] = L2_GRID,
          extra_meta: dict[str, Any] | None = None) -> tuple[Classifier, dict[str, Any]]:
    """Fit the n-gram model for each L2 candidate on variant-held-out folds, keep the one whose
    out-of-fold predictions (mixed with the rules) have the lowest log-loss on whole
    documents, fit the model/rule mix on them, then the model on everything."""
    started = time.monotonic()
    grams = [ngrams(e.text) for e in examples]
    vocab, idf = _vocabulary(grams)
    x = _matrix(grams, vocab, idf)
    y = np.array([CATEGORIES.index(e.category) for e in examples])
    w = np.array([e.weight for e in examples])
    rule_scores = np.array([rule_vector(evidence(e.text)) for e in examples])
    # Groups marked ALWAYS (phrase documents, reviewers' corrections) are never left out.
    fold_of = _folds([e.group for e in examples if not e.group.startswith(ALWAYS)],
                     [e.category for e in examples if not e.group.startswith(ALWAYS)], folds)
    fold = np.array([fold_of.get(e.group, -1) for e in examples])
    fit = np.array([e.fit for e in examples])
    n_features = np.asarray(x.getnnz(axis=1), dtype=np.float64)
    held = fold >= 0
    whole = (held & fit)[held]
    candidates = [l2] if isinstance(l2, float) else list(l2)
    tried: dict[str, float] = {}
    best: tuple[float, float, np.ndarray, Mix] | None = None
    for penalty in candidates:
        oof = np.zeros((len(examples), len(CATEGORIES)))
        for f in range(folds):
            test = fold == f
            train_rows = ~test & fit
            coef, bias = fit_softmax(x[train_rows], y[train_rows], w[train_rows], l2=penalty)
            oof[test] = x[test] @ coef + bias
        mix = _fit_mix(oof[held], rule_scores[held], n_features[held], y[held])
        combined = mixed_scores(oof[held], rule_scores[held], n_features[held], mix)
        loss = _log_loss(combined[whole], y[held][whole])
        tried[str(penalty)] = round(loss, 4)
        log.info("l2 %g: out-of-fold log-loss %.4f (%.0f s)", penalty, loss,
                 time.monotonic() - started)
        if best is None or loss < best[0]:
            best = (loss, penalty, oof[held], mix)
    assert best is not None
    _loss, penalty, oof_held, mix = best
    coef, bias = fit_softmax(x[fit], y[fit], w[fit], l2=penalty)
    report = {
        "examples": len(examples),
        "features": len(vocab),
        "l2": penalty,
        "l2_out_of_fold_log_loss": tried,
        "mix": list(mix),
        "unseen_variant_accuracy": _accuracy(oof_held, rule_scores[held], n_features[held],
                                             y[held], mix, whole),
        "unseen_variant_reliability": _reliability(
            mixed_scores(oof_held, rule_scores[held], n_features[held], mix)[whole],
            y[held][whole]),
        "seconds": round(time.monotonic() - started, 1),
        **(extra_meta or {}),
    }
    model = Classifier(vocab=vocab, idf=idf, coef=coef.astype(np.float32), intercept=bias,
                       mix=mix, meta=report)
    return model, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest.understand.train",
                                     description="Train the shipped category classifier.")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--per-template", type=int, default=PER_TEMPLATE)
    parser.add_argument("--l2", type=float, nargs="+", default=list(L2_GRID),
                        help="L2 penalties to choose from by out-of-fold log-loss")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    examples = (fixture_examples(seed=args.seed, per_template=args.per_template)
                + phrase_examples(seed=args.seed))
    model, report = train(examples, l2=args.l2,
                          extra_meta={"seed": args.seed, "per_template": args.per_template,
                                      "corpus": "fixtures train + train_extra splits, "
                                                "rule phrases, handbook descriptions"})
    model.save(args.out)
    print(f"wrote {args.out}: {report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())


def review_examples(archive: Archive) -> list[Example]:
    """Categories reviewers accepted or corrected, with the documents' stored texts; the
    latest decision per document counts."""
    from archive.catalog.models import DocumentObject
    from archive.catalog.review import TrainingExample

    latest: dict[str, str] = {}
    keys: dict[str, tuple[str, str]] = {}
    with archive.catalog.session() as s:
        for doc_id, category in s.execute(
                select(TrainingExample.document_id, TrainingExample.category)
                .order_by(TrainingExample.id)):
            latest[doc_id] = category
        for doc_id, key, sha in s.execute(
                select(DocumentObject.document_id, DocumentObject.key, DocumentObject.sha256)
                .where(DocumentObject.kind == "text",
                       DocumentObject.document_id.in_(list(latest)))):
            keys[doc_id] = (key, sha)
    out = []
    for doc_id, category in latest.items():
        if doc_id in keys:
            key, sha = keys[doc_id]
            text = archive.store.get_bytes(key, sha256=sha).decode("utf-8")
            out.append(Example(text, category, f"{ALWAYS}review", REVIEW_WEIGHT))
    return out


def retrain(archive: Archive, *, seed: int = DEFAULT_SEED, per_template: int = PER_TEMPLATE
            ) -> dict[str, Any]:
    """Train on the fixtures plus the review queue's decisions; write the next model version
    into the data dir, where ingest picks it up."""
    reviewed = review_examples(archive)
    examples = (fixture_examples(seed=seed, per_template=per_template)
                + phrase_examples(seed=seed) + reviewed)
    versions = model_versions(archive.settings.data_dir)
    version = versions[-1][0] + 1 if versions else 1
    path = model_dir(archive.settings.data_dir) / f"classifier-v{version:04d}.npz"
    # The penalty the shipped model chose among L2_GRID: no need to search again.
    shipped = Classifier.load(DEFAULT_MODEL).meta.get("l2") if DEFAULT_MODEL.is_file() else None
    model, report = train(examples, l2=float(shipped) if shipped else L2_GRID, extra_meta={
        "seed": seed, "per_template": per_template, "review_examples": len(reviewed),
        "version": version, "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": "fixtures train + train_extra splits, rule phrases, handbook "
                  "descriptions, review decisions"})
    model.save(path)
    return {"version": version, "path": str(path), **report}
