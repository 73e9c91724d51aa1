#!/usr/bin/env python3
"""Cut the countries of world-atlas 2.0.2 (Natural Earth 1:50m, ISC licence) to Central Asia and
its neighbours, simplify them, and write crates/charts/data/central_asia.json.

The charts crate embeds that file; this script is how it was made (run once; its output is
committed):

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/analysis/make_region_map.py /tmp/package/countries-50m.json \
        > crates/charts/data/central_asia.json

Rings are clipped to the box (Sutherland-Hodgman), simplified (Douglas-Peucker, 0.03 degrees)
and rounded to 0.01 degrees. Natural Earth draws de facto boundaries; the chart says so and
takes no position on disputed ones.
"""
import json
import sys

LON0, LON1, LAT0, LAT1 = 44.0, 90.0, 33.0, 57.0
TOLERANCE = 0.03

# ISO 3166-1 numeric -> alpha-3 for the countries the box touches.
ALPHA3 = {"398": "KAZ", "417": "KGZ", "762": "TJK", "795": "TKM", "860": "UZB", "004": "AFG", "156": "CHN",
          "364": "IRN", "643": "RUS", "496": "MNG", "586": "PAK", "031": "AZE", "356": "IND", "268": "GEO",
          "051": "ARM", "368": "IRQ", "792": "TUR"}
# Capitals (longitude, latitude) used as the ends of dyad lines.
CAPITALS = {"KAZ": ("Astana", 71.43, 51.13), "KGZ": ("Bishkek", 74.59, 42.87), "TJK": ("Dushanbe", 68.78, 38.56),
            "TKM": ("Ashgabat", 58.38, 37.95), "UZB": ("Tashkent", 69.24, 41.30), "AFG": ("Kabul", 69.17, 34.53),
            "AZE": ("Baku", 49.87, 40.41), "IRN": ("Tehran", 51.39, 35.69), "PAK": ("Islamabad", 73.05, 33.68)}


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs, idx):
    pts = []
    for i in idx:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def clip(poly):
    """Sutherland-Hodgman against the box."""
    def cut(pts, inside, inter):
        out = []
        for i, cur in enumerate(pts):
            prev = pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    out.append(inter(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(inter(prev, cur))
        return out

    def at_x(x0):
        return lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))

    def at_y(y0):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)

    for inside, inter in [(lambda p: p[0] >= LON0, at_x(LON0)), (lambda p: p[0] <= LON1, at_x(LON1)),
                          (lambda p: p[1] >= LAT0, at_y(LAT0)), (lambda p: p[1] <= LAT1, at_y(LAT1))]:
        if not poly:
            return poly
        poly = cut(poly, inside, inter)
    return poly


def simplify(pts, tol):
    if len(pts) < 4:
        return pts
    def dist(p, a, b):
        (x, y), (x1, y1), (x2, y2) = p, a, b
        dx, dy = x2 - x1, y2 - y1
        if dx == dy == 0:
            return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
        return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        best, k = 0.0, None
        for m in range(i + 1, j):
            d = dist(pts[m], pts[i], pts[j])
            if d > best:
                best, k = d, m
        if k is not None and best > tol:
            keep[k] = True
            stack += [(i, k), (k, j)]
    return [p for p, kp in zip(pts, keep) if kp]


def main(path):
    topo = json.load(open(path))
    arcs = decode_arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        code = ALPHA3.get(g.get("id"))
        if code is None:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        rings = []
        for poly in polys:
            for r in poly:
                pts = clip(ring(arcs, r))
                if len(pts) < 3:
                    continue
                pts = simplify(pts + [pts[0]], TOLERANCE)
                pts = [[round(x, 2), round(y, 2)] for x, y in pts]
                dedup = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
                if len(dedup) >= 4:
                    rings.append(dedup)
        if rings:
            countries.append({"iso3": code, "name": g["properties"]["name"], "rings": rings})
    countries.sort(key=lambda c: c["iso3"])
    out = {
        "source": "world-atlas 2.0.2 countries-50m (Natural Earth 1:50m), clipped and simplified by "
                  "scripts/analysis/make_region_map.py",
        "note": "Boundaries are de facto lines from Natural Earth, simplified; they imply no position on disputed "
                "boundaries or territories.",
        "bbox": [LON0, LAT0, LON1, LAT1],
        "capitals": {k: {"name": v[0], "lon": v[1], "lat": v[2]} for k, v in sorted(CAPITALS.items())},
        "countries": countries,
    }
    json.dump(out, sys.stdout, separators=(",", ":"))
    print()


if __name__ == "__main__":
    main(sys.argv[1])
