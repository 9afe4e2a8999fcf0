#!/usr/bin/env python3
"""Builds world.txt, the map `migdev serve` draws, from Natural Earth 1:110m admin-0 countries.

Input: countries-110m.json from the npm package world-atlas 2.0.2 (Natural Earth's shapes as
TopoJSON, keyed by ISO 3166-1 numeric code), and Debian's iso-codes iso_3166-1.json for the
numeric to alpha-3 mapping. Output, one country a line: `ALPHA3<TAB>name<TAB>svg path`, the path
already projected (Equal Earth) into a 1000-wide frame and rounded to whole units, relative
moves so it stays small. The first line, `# frame W H`, gives the frame's size. Antarctica is left out (no programme is there and it would take a
fifth of the height). Shapes without an ISO code get `-` and are drawn as plain land.

Usage: make_world_map.py countries-110m.json iso_3166-1.json > world.txt
"""
import json
import math
import sys

WIDTH = 1000.0
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
# The Equal Earth x at the equator and 180 degrees, to scale the frame to WIDTH.
X_MAX = 2 * math.sqrt(3) * math.pi / (3 * A1)
SCALE = WIDTH / (2 * X_MAX)
TOP_LAT = 84.0


def equal_earth(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = 2 * math.sqrt(3) * lam * math.cos(theta) / (3 * (9 * A4 * t6 * t2 + 7 * A3 * t6 + 3 * A2 * t2 + A1))
    y = theta * (A4 * t6 * t2 + A3 * t6 + A2 * t2 + A1)
    return x, y


def main(topo_path, iso_path):
    topo = json.load(open(topo_path))
    numeric = {c["numeric"]: c["alpha_3"] for c in json.load(open(iso_path))["3166-1"]}
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    _, top = equal_earth(0, TOP_LAT)

    def ring(indices):
        points = []
        for i in indices:
            arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            points.extend(arc if not points else arc[1:])
        out = []
        previous = points[0][0]
        for lon, lat in points:
            # A ring that crosses the antimeridian jumps by about 360 degrees: follow it
            # across, then pin it to the frame's edge, where the piece beyond has no area.
            while lon - previous > 180:
                lon -= 360
            while lon - previous < -180:
                lon += 360
            previous = lon
            lon = min(180.0, max(-180.0, lon))
            x, y = equal_earth(lon, lat)
            p = (round((x + X_MAX) * SCALE), round((top - y) * SCALE))
            if not out or out[-1] != p:
                out.append(p)
        return out

    def path(polygons):
        parts = []
        last = (0, 0)
        for polygon in polygons:
            for indices in polygon:
                points = ring(indices)
                if len(points) < 3:
                    continue
                (x0, y0) = points[0]
                parts.append(f"m{x0 - last[0]} {y0 - last[1]}")
                steps = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:])]
                parts.append("l" + " ".join(steps) + "z")
                last = (x0, y0)
        # The first move is relative to the origin, so it is absolute.
        return "".join(parts).replace("m", "M", 1)

    _, bottom = equal_earth(0, -60)
    print(f"# frame {int(WIDTH)} {math.ceil((top - bottom) * SCALE)}")
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = numeric.get(geometry.get("id"), "-")
        if code == "ATA":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        print(f"{code}\t{geometry['properties']['name']}\t{path(polygons)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
