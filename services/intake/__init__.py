"""Intake: the front desk's record of every contact (客户接待记录) and the ticket it opens."""
