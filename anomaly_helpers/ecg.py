"""Old home of the heartbeat helpers (re-exports only): import them from :mod:`anomaly_helpers.series`."""

# TRANSITIONAL: remove when lessons import the new modules

from anomaly_helpers.series import beat_labels, beat_scores_to_timesteps, find_r_peaks, segment_beats

__all__ = ["find_r_peaks", "segment_beats", "beat_labels", "beat_scores_to_timesteps"]
