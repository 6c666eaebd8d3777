"""Signals let later apps take part in a stage move without rounds importing them."""

from django.dispatch import Signal

# Sent inside the move's transaction, after the stage is saved.
stage_changed = Signal()
# Receivers return a message to refuse the move, or None.
stage_precondition = Signal()
