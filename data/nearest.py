"""The centres nearest a point, by great-circle distance."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
"""The IUGG mean Earth radius."""
_SLACK = 1e-9
"""Relative margin on numpy's ranking value, far above its rounding difference from `math`'s, so that no point the
exact (scalar) distance would rank in is left out before the exact pass."""


@dataclass(frozen=True)
class Nearby:
    key: str
    km: float


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half = (math.sin((phi2 - phi1) / 2) ** 2
            + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    # Rounding can push antipodal points a hair past 1, outside asin's domain.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, half))))


class NearestIndex:
    """Points (key, latitude, longitude) ranked by distance from a query point, nearest first, ties by key.

    numpy ranks every point by the haversine term; the few that can make the cut are then measured again with
    `haversine_km`, so the answer is exactly the brute force's over `haversine_km`."""

    def __init__(self, points: Iterable[tuple[str, float, float]]) -> None:
        rows = list(points)
        seen: set[str] = set()
        for key, latitude, longitude in rows:
            _check_point(latitude, longitude, key)
            if key in seen:
                raise ValueError(f"point {key!r} appears more than once")
            seen.add(key)
        self._keys = [key for key, _lat, _lon in rows]
        self._degrees = [(lat, lon) for _key, lat, lon in rows]
        self._phi: npt.NDArray[np.float64] = np.radians(np.array([lat for lat, _lon in self._degrees], dtype=float))
        self._lambda: npt.NDArray[np.float64] = np.radians(np.array([lon for _lat, lon in self._degrees],
                                                                    dtype=float))
        self._cos_phi = np.cos(self._phi)

    def __len__(self) -> int:
        return len(self._keys)

    def nearest(self, latitude: float, longitude: float, limit: int = 5,
                within_km: float | None = None) -> list[Nearby]:
        """Up to `limit` points no farther than `within_km` (when given), nearest first."""
        _check_point(latitude, longitude, "query")
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if within_km is not None and not within_km >= 0:
            raise ValueError(f"within_km must be a distance of 0 or more, not {within_km}")
        if not self._keys:
            return []
        phi, lam = math.radians(latitude), math.radians(longitude)
        # The haversine term grows with the distance, so it ranks points without the arcsine.
        half = (np.sin((self._phi - phi) / 2) ** 2
                + math.cos(phi) * self._cos_phi * np.sin((self._lambda - lam) / 2) ** 2)
        candidates = np.arange(len(half))
        if within_km is not None and within_km < math.pi * EARTH_RADIUS_KM:
            candidates = np.flatnonzero(half <= math.sin(within_km / (2 * EARTH_RADIUS_KM)) ** 2 * (1 + _SLACK))
        if len(candidates) > limit:
            cut = np.partition(half[candidates], limit - 1)[limit - 1]
            candidates = candidates[half[candidates] <= cut * (1 + _SLACK)]
        measured = sorted((haversine_km(latitude, longitude, *self._degrees[index]), self._keys[index])
                          for index in candidates.tolist())
        return [Nearby(key, km) for km, key in measured if within_km is None or km <= within_km][:limit]


def _check_point(latitude: float, longitude: float, what: str) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"{what}: ({latitude}, {longitude}) is not a latitude in [-90, 90] and a longitude in "
                         f"[-180, 180]")
