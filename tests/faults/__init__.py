"""The fault-injection suite (`make faults`): scripted stories with injected trouble, counted."""
