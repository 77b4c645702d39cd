"""One row per finished task whose effect must happen once (an e-mail, a batch of writes)."""

from django.db import models


class TaskDone(models.Model):
    """Written in the same transaction as the task's effect, keyed by the task id: a retried
    or redelivered task finds its row and does nothing. Holds no personal data."""

    key = models.CharField(max_length=64, unique=True)
    task = models.CharField(max_length=200)
    done_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.task}[{self.key}]"
