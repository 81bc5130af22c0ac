"""Nearest centres: ordering against distances worked out by hand, limits, radius, shared points, odd places."""
from __future__ import annotations

import math
import random

import pytest

from data.nearest import EARTH_RADIUS_KM, Nearby, NearestIndex, haversine_km

# The sample centres that have coordinates (data/sample/centres.csv); two share Mueang Phitsanulok's point.
SAMPLE = [
    ("dcc-43-pho-tak", 17.87667, 102.41000),
    ("dcc-65-ban-krang", 16.82472, 100.25944),
    ("dcc-65-phitsanulok-pittayakhom", 16.82472, 100.25944),
    ("dcc-77-ban-thang-wai", 11.80833, 99.79667),
    ("dcc-35-wat-burapha", 15.79472, 104.14056),
    ("dcc-10-de-hq-building-c", 13.883256, 100.566616),
    ("dcc-48-that-phanom-college", 16.93639, 104.70944),
]
KHON_KAEN = (16.4419, 102.8360)


def by_hand(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine formula step by step, written independently of data.nearest."""
    to_radians = math.pi / 180
    delta_lat = (lat2 - lat1) * to_radians
    delta_lon = (lon2 - lon1) * to_radians
    a = (math.sin(delta_lat / 2) * math.sin(delta_lat / 2)
         + math.cos(lat1 * to_radians) * math.cos(lat2 * to_radians)
         * math.sin(delta_lon / 2) * math.sin(delta_lon / 2))
    central_angle = 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))
    return 6371.0088 * central_angle


def flat(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """An equirectangular estimate, good to a fraction of a percent over a few hundred km: a check on the check."""
    mean_lat = math.radians((lat1 + lat2) / 2)
    return 6371.0088 * math.hypot(math.radians(lat2 - lat1), math.radians(lon2 - lon1) * math.cos(mean_lat))


@pytest.mark.parametrize(("here", "there", "km"), [
    ((13.883256, 100.566616), (17.87667, 102.41000), 485.83),  # Government Complex → Pho Tak district
    (KHON_KAEN, (15.79472, 104.14056), 156.84),                 # Khon Kaen → Mueang Yasothon
    (KHON_KAEN, (11.80833, 99.79667), 610.58),                  # Khon Kaen → Mueang Prachuap Khiri Khan
    ((0.0, 0.0), (0.0, 1.0), 111.195),                          # one degree of the equator: 2πR/360
])
def test_distance_matches_the_formula_by_hand(here: tuple[float, float], there: tuple[float, float],
                                              km: float) -> None:
    assert by_hand(*here, *there) == pytest.approx(km, abs=0.01)
    assert flat(*here, *there) == pytest.approx(km, rel=0.005)
    assert haversine_km(*here, *there) == pytest.approx(by_hand(*here, *there), rel=1e-12)
    assert haversine_km(*there, *here) == pytest.approx(haversine_km(*here, *there), rel=1e-12)


def test_ordering_against_hand_computed_distances() -> None:
    found = NearestIndex(SAMPLE).nearest(*KHON_KAEN, limit=10)
    assert [n.key for n in found] == [
        "dcc-35-wat-burapha",               # 156.8 km
        "dcc-43-pho-tak",                   # 165.8 km
        "dcc-48-that-phanom-college",       # 207.0 km
        "dcc-65-ban-krang",                 # 277.8 km, shares its point with the next
        "dcc-65-phitsanulok-pittayakhom",
        "dcc-10-de-hq-building-c",          # 374.5 km
        "dcc-77-ban-thang-wai",             # 610.6 km
    ]
    coordinates = {key: (lat, lon) for key, lat, lon in SAMPLE}
    for nearby in found:
        assert nearby.km == pytest.approx(by_hand(*KHON_KAEN, *coordinates[nearby.key]), rel=1e-12)


def test_limit_keeps_the_nearest() -> None:
    index = NearestIndex(SAMPLE)
    assert [n.key for n in index.nearest(*KHON_KAEN, limit=2)] == ["dcc-35-wat-burapha", "dcc-43-pho-tak"]
    assert len(index.nearest(*KHON_KAEN)) == 5
    with pytest.raises(ValueError, match="limit"):
        index.nearest(*KHON_KAEN, limit=0)


def test_within_km() -> None:
    index = NearestIndex(SAMPLE)
    assert [n.key for n in index.nearest(*KHON_KAEN, within_km=200)] == ["dcc-35-wat-burapha", "dcc-43-pho-tak"]
    assert index.nearest(*KHON_KAEN, within_km=100) == []
    assert len(index.nearest(*KHON_KAEN, limit=10, within_km=30_000)) == len(SAMPLE)
    exactly = haversine_km(*KHON_KAEN, 17.87667, 102.41000)
    assert [n.key for n in index.nearest(*KHON_KAEN, within_km=exactly)][-1] == "dcc-43-pho-tak"  # inclusive
    with pytest.raises(ValueError, match="within_km"):
        index.nearest(*KHON_KAEN, within_km=-1)


def test_shared_coordinates_are_all_returned_in_key_order() -> None:
    index = NearestIndex([("b", 16.82472, 100.25944), ("c", 16.82472, 100.25944), ("a", 16.82472, 100.25944),
                          ("far", 17.0, 100.25944)])
    assert index.nearest(16.82472, 100.25944, limit=3) == [Nearby("a", 0.0), Nearby("b", 0.0), Nearby("c", 0.0)]
    assert [n.key for n in index.nearest(16.82472, 100.25944, limit=2)] == ["a", "b"]
    assert [n.key for n in index.nearest(16.82472, 100.25944, within_km=0)] == ["a", "b", "c"]


def test_empty_index() -> None:
    index = NearestIndex([])
    assert len(index) == 0
    assert index.nearest(*KHON_KAEN) == []
    assert index.nearest(*KHON_KAEN, within_km=10) == []


def test_bad_points_are_refused() -> None:
    with pytest.raises(ValueError, match="x"):
        NearestIndex([("x", 91.0, 100.0)])
    with pytest.raises(ValueError, match="more than once"):
        NearestIndex([("x", 13.0, 100.0), ("x", 14.0, 100.0)])
    with pytest.raises(ValueError, match="query"):
        NearestIndex(SAMPLE).nearest(math.nan, 100.0)


def test_the_formula_holds_across_the_antimeridian_and_at_the_poles() -> None:
    assert haversine_km(10.0, 179.9, 10.0, -179.9) == pytest.approx(by_hand(10.0, 179.9, 10.0, -179.9), rel=1e-9)
    assert haversine_km(10.0, 179.9, 10.0, -179.9) < 22
    half_the_world = math.pi * EARTH_RADIUS_KM
    assert haversine_km(0.0, 0.0, 0.0, 180.0) == pytest.approx(half_the_world)
    assert haversine_km(90.0, 0.0, -90.0, 0.0) == pytest.approx(half_the_world)
    assert haversine_km(45.0, 30.0, -45.0, -150.0) == pytest.approx(half_the_world)  # antipodes: no domain error
    index = NearestIndex([("fiji", -17.7, 178.0), ("samoa", -13.8, -172.0), ("london", 51.5, -0.1)])
    assert [n.key for n in index.nearest(-16.0, 179.9, limit=2)] == ["fiji", "samoa"]


def test_same_answers_as_brute_force() -> None:
    rng = random.Random(5)
    # Coarse coordinates, so that many centres share a point and ties are common.
    points = [(f"c{number:04d}", round(rng.uniform(5.6, 20.5), 1), round(rng.uniform(97.3, 105.7), 1))
              for number in range(2000)]
    index = NearestIndex(points)
    for _ in range(50):
        lat, lon = round(rng.uniform(5.6, 20.5), 1), round(rng.uniform(97.3, 105.7), 1)
        limit, within = rng.choice([1, 5, 20]), rng.choice([None, 15.0, 60.0])
        brute = sorted((haversine_km(lat, lon, p_lat, p_lon), key) for key, p_lat, p_lon in points)
        expected = [Nearby(key, km) for km, key in brute if within is None or km <= within][:limit]
        assert index.nearest(lat, lon, limit=limit, within_km=within) == expected
