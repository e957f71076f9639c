#!/usr/bin/env python3
"""Independent checks of Upwind's attribution outputs against established Python tools
(not a test dependency: needs `pip install numpy scipy shapely`).

  scripts/crosscheck.py ward TRAJECTORIES.csv CLUSTER_OUT
      `upwind cluster --trajectories TRAJECTORIES.csv --out CLUSTER_OUT` (Ward, any --unequal)
      against scipy.cluster.hierarchy.linkage(method="ward") on the same embedding: each
      endpoint as 3-D chord coordinates on a sphere of radius 6371 km, the trajectory the
      concatenation of its endpoints from age 0 backwards, cut to the clustered length.
      Prints the TSV of k = 1..12 clusters from both and the k = 2 contingency table.

  scripts/crosscheck.py regions REGIONS.geojson OBSERVATIONS.csv OUT [--criterion 75] [--id adcode]
      regions.csv of `upwind attribute`/`hotspots --out OUT` run with --max-height mixing-depth
      (and age 0 excluded, the default) against shapely point-in-polygon (`covers`) on OUT's
      trajectories.csv: residence (endpoints), polluted residence, polluted share and
      trajectory count per region. The CSV's coordinates have 4 decimals (about 11 m), so
      endpoints that close to a boundary may land in the neighbour: the differences printed
      are expected to be single endpoints moving between neighbours.
"""
import collections
import csv
import json
import sys


def ward(traj_path, out):
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    radius = 6371.0
    tracks = collections.OrderedDict()
    for r in csv.DictReader(open(traj_path, newline="")):
        tracks.setdefault(r["trajectory"], []).append((float(r["age_h"]), float(r["latitude"]), float(r["longitude"])))
    assigned = {r["trajectory"]: r["cluster"] for r in csv.DictReader(open(out + "/clusters.csv", newline=""))}
    keep = [k for k in tracks if assigned.get(k, "") != ""]
    length = min(len(tracks[k]) for k in keep)
    rows = []
    for k in keep:
        v = []
        for _, lat, lon in sorted(tracks[k], key=lambda t: abs(t[0]))[:length]:
            la, lo = np.radians(lat), np.radians(lon)
            v += [radius * np.cos(la) * np.cos(lo), radius * np.cos(la) * np.sin(lo), radius * np.sin(la)]
        rows.append(v)
    x = np.array(rows)
    tree = linkage(x, "ward")
    ours = {int(r["clusters"]): float(r["tsv"]) for r in csv.DictReader(open(out + "/tsv.csv", newline=""))}
    print(f"{len(x)} trajectories of {length} endpoints")
    worst = 0.0
    for k in range(1, min(12, len(x)) + 1):
        labels = fcluster(tree, k, "maxclust")
        tsv = sum(((x[labels == c] - x[labels == c].mean(0)) ** 2).sum() for c in set(labels))
        rel = abs(tsv - ours[k]) / tsv if tsv else abs(ours[k])
        worst = max(worst, rel)
        print(f"k={k:2d}  scipy {tsv:.9e}  upwind {ours[k]:.9e}  relative difference {rel:.1e}")
    labels = fcluster(tree, 2, "maxclust")
    mine = [int(assigned[k]) for k in keep]
    print("k=2 (scipy, upwind) pairs:", dict(collections.Counter(zip(labels.tolist(), mine))))
    return 0 if worst < 1e-9 else 1


def regions(geojson, observations, out, criterion=75.0, id_key="adcode"):
    from shapely.geometry import Point, shape
    from shapely.strtree import STRtree
    features = json.load(open(geojson))["features"]
    geoms = [shape(f["geometry"]) for f in features]
    ids = [str(f["properties"][id_key]) for f in features]
    tree = STRtree(geoms)
    values = {(r["site"], r["time"]): float(r["value"]) for r in csv.DictReader(open(observations, newline=""))}
    res, pol, trajs = collections.Counter(), collections.Counter(), collections.defaultdict(set)
    total = polluted = 0
    for r in csv.DictReader(open(out + "/trajectories.csv", newline="")):
        if float(r["age_h"]) == 0 or float(r["height_agl_m"]) > float(r["mixing_depth_m"]):
            continue
        value = values.get((r["site"], r["start_time"]))
        if value is None:
            continue
        total += 1
        polluted += value > criterion
        p = Point(float(r["longitude"]), float(r["latitude"]))
        for i in tree.query(p):
            if geoms[i].covers(p):
                res[ids[i]] += 1
                pol[ids[i]] += value > criterion
                trajs[ids[i]].add(r["trajectory"])
                break
    rows = list(csv.DictReader(open(out + "/regions.csv", newline="")))
    same = 0
    for row in rows:
        i = row["id"]
        want = (res[i], pol[i], round(pol[i] / polluted, 6) if polluted else 0, len(trajs[i]))
        got = (int(float(row["residence_h"])), int(float(row["polluted_residence_h"])), round(float(row["polluted_share"] or 0), 6),
               int(row["n_trajectories"]))
        if want == got:
            same += 1
        else:
            print(f"{i} {row['name']}: shapely {want}, upwind {got}")
    print(f"endpoints {total}, polluted {polluted}; {same} of {len(rows)} regions identical")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "ward":
        sys.exit(ward(args[1], args[2]))
    if len(args) >= 4 and args[0] == "regions":
        options = dict(zip(args[4::2], args[5::2]))
        sys.exit(regions(args[1], args[2], args[3], float(options.get("--criterion", 75)), options.get("--id", "adcode")))
    print(__doc__)
    sys.exit(2)
