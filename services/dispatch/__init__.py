"""Dispatch: work orders (派工单) from the repair report to the customer's signature."""
