"""Classification metrics without extra dependencies: per-class precision/recall/F1, macro-F1,
accuracy and the confusion matrix (rows: true label, columns: predicted)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    labels: list[str]
    per_class: list[ClassScore]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    n: int

    def score(self, label: str) -> ClassScore:
        return next(c for c in self.per_class if c.label == label)

    def as_dict(self) -> dict:
        return {"n": self.n, "accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4),
                "per_class": {c.label: {"precision": round(c.precision, 4), "recall": round(c.recall, 4),
                                        "f1": round(c.f1, 4), "support": c.support} for c in self.per_class},
                "labels": self.labels, "confusion": self.confusion}


def report(truth: list[str], predicted: list[str], labels: list[str] | None = None) -> Report:
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    labels = labels or sorted(set(truth))
    extra = sorted(set(predicted) - set(labels))
    columns = labels + extra  # predictions outside the true labels still count as errors
    index = {label: i for i, label in enumerate(columns)}
    confusion = [[0] * len(columns) for _ in labels]
    for t, p in zip(truth, predicted):
        if t in index and t in labels:
            confusion[labels.index(t)][index[p]] += 1
    scores = []
    for i, label in enumerate(labels):
        tp = confusion[i][index[label]]
        predicted_as = sum(row[index[label]] for row in confusion)
        actual = sum(confusion[i])
        precision = tp / predicted_as if predicted_as else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(ClassScore(label, precision, recall, f1, actual))
    correct = sum(confusion[i][index[label]] for i, label in enumerate(labels))
    n = sum(map(sum, confusion))
    macro = sum(s.f1 for s in scores) / len(scores) if scores else 0.0
    return Report(labels, scores, macro, correct / n if n else 0.0, confusion, n)
