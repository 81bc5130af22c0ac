"""Slow work: jobs are plain functions taking ids or plain values, run by RQ or in-process."""
