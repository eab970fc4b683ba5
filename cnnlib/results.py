"""A table of trained models: what each cost and scored, and which one the validation set picks.

The bookkeeping the Keras chapters share::

    board = Results(x_test, y_test)
    board.record("small convnet", model, history, seconds)  # evaluates once on the test set
    board.table()                                           # a printed comparison
    board.best()                                            # chosen on validation accuracy

The test set is evaluated once per model, after training; the choice among models is made
on the validation accuracy only.
"""

from __future__ import annotations

__all__ = ["Results"]


class Results:
    """Trained models by name, with params, epochs, seconds, best val_accuracy and test accuracy."""

    def __init__(self, x_test, y_test, batch_size=500):
        self.x_test, self.y_test, self.batch_size = x_test, y_test, batch_size
        self.rows: dict[str, dict] = {}
        self.models: dict = {}

    def record(self, name, model, history, seconds) -> dict:
        """Evaluate ``model`` on the test set, keep its row, print one line; returns the row."""
        _, test_acc = model.evaluate(self.x_test, self.y_test, batch_size=self.batch_size,
                                     verbose=0)
        hist = history.history
        row = {"params": int(model.count_params()), "epochs": len(history.epoch),
               "seconds": float(seconds), "test_acc": float(test_acc),
               "val_acc": max(hist["val_accuracy"]) if "val_accuracy" in hist else None}
        self.rows[name], self.models[name] = row, model
        print(f"{name}: test accuracy {test_acc:.4f} on {len(self.x_test):,} images "
              f"({seconds:.0f} s for {row['epochs']} epochs)")
        return row

    def __getitem__(self, name) -> dict:
        return self.rows[name]

    def best(self) -> str:
        """The name of the model with the highest validation accuracy."""
        if not self.rows:
            raise ValueError("Results.best: no model recorded yet")
        return max(self.rows, key=lambda name: self.rows[name]["val_acc"] or 0)

    def table(self) -> str:
        """One line per model; also printed."""
        lines = [f"{'model':20} {'params':>10} {'epochs':>6} {'s/epoch':>8} {'val acc':>8} "
                 f"{'test acc':>8}"]
        for name, r in self.rows.items():
            val = f"{r['val_acc']:>8.4f}" if r["val_acc"] is not None else f"{'—':>8}"
            lines.append(f"{name:20} {r['params']:>10,} {r['epochs']:>6} "
                         f"{r['seconds'] / r['epochs']:>8.1f} {val} {r['test_acc']:>8.4f}")
        text = "\n".join(lines)
        print(text)
        return text
