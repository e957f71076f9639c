#!/usr/bin/env python3
"""Writes wrf_analytic.cdl: a small WRF ARW (V3.8.1-style) wrfout, Lambert conformal (MAP_PROJ 1),
with analytic staggered fields (formulas in README.md, section 5). Python 3 standard library only:
run `python3 make_wrf_analytic.py` in this folder."""
import math

NX, NY, NZ, NT = 12, 10, 3, 2
DX = 30000.0
R = 6370000.0
TL1, TL2, STAND_LON, CEN_LAT = 30.0, 60.0, 113.0, 34.0
ZNW = [1.0, 0.875, 0.625, 0.375]
ZNU = [0.5 * (ZNW[k] + ZNW[k + 1]) for k in range(NZ)]
PTOP = 5000.0
r = math.pi / 180
n = math.log(math.cos(TL1 * r) / math.cos(TL2 * r)) / math.log(math.tan((45 + TL2 / 2) * r) / math.tan((45 + TL1 / 2) * r))
F = math.cos(TL1 * r) * math.tan((45 + TL1 / 2) * r) ** n / n

def rho(lat):
    return R * F / math.tan((45 + lat / 2) * r) ** n

def project(lat, lon):
    t = n * (lon - STAND_LON) * r
    return rho(lat) * math.sin(t), -rho(lat) * math.cos(t)

def unproject(x, y):
    rr = math.hypot(x, y)
    t = math.atan2(x, -y)
    lat = 2 * math.atan((R * F / rr) ** (1 / n)) / r - 90
    return lat, STAND_LON + t / n / r

XC, YC = project(CEN_LAT, STAND_LON)

def point(i, j):  # i, j may be half-integers (staggered points)
    return unproject(XC + (i - (NX - 1) / 2) * DX, YC + (j - (NY - 1) / 2) * DX)

def f(v):
    return repr(float(v))

def block(values):
    out, line = [], []
    for v in values:
        line.append(f(v))
        if len(line) == 6:
            out.append(", ".join(line)); line = []
    if line: out.append(", ".join(line))
    return ",\n    ".join(out)

def grid(fn, nt=NT, nz=None, ny=NY, nx=NX):
    vals = []
    for t in range(nt):
        for k in (range(nz) if nz is not None else [None]):
            for j in range(ny):
                for i in range(nx):
                    vals.append(fn(t, k, j, i))
    return vals

hgt = lambda j, i: 50 + 4 * i + 3 * j
mub = lambda j, i: 95000 - 50 * i + 30 * j - PTOP
data = {
    "XLAT": grid(lambda t, k, j, i: point(i, j)[0]),
    "XLONG": grid(lambda t, k, j, i: point(i, j)[1]),
    "U": grid(lambda t, k, j, i: 8 + 0.0625 * (i - 6), nz=NZ, nx=NX + 1),
    "V": grid(lambda t, k, j, i: 3 - 0.03125 * (j - 5), nz=NZ, ny=NY + 1),
    "W": grid(lambda t, k, j, i: 0.001 * k + 0.0005 * t, nz=NZ + 1),
    "PH": grid(lambda t, k, j, i: 9.81 * (2 * k + t), nz=NZ + 1),
    "PHB": grid(lambda t, k, j, i: 9.81 * (hgt(j, i) + 1000 * k * (1 + 0.01 * i)), nz=NZ + 1),
    "P": grid(lambda t, k, j, i: 10 * (t + 1) * (k + 1), nz=NZ),
    "PB": grid(lambda t, k, j, i: PTOP + ZNU[k] * mub(j, i), nz=NZ),
    "T": grid(lambda t, k, j, i: 2 + 1.5 * k + 0.25 * t, nz=NZ),
    "HGT": grid(lambda t, k, j, i: hgt(j, i)),
    "PSFC": grid(lambda t, k, j, i: PTOP + mub(j, i) + 20 * (t + 1)),
    "PBLH": grid(lambda t, k, j, i: 600 + 10 * i + 20 * t),
    "COSALPHA": grid(lambda t, k, j, i: math.cos(n * (point(i, j)[1] - STAND_LON) * r)),
    "SINALPHA": grid(lambda t, k, j, i: -math.sin(n * (point(i, j)[1] - STAND_LON) * r)),
    "ZNU": ZNU * NT, "ZNW": ZNW * NT, "P_TOP": [PTOP] * NT,
}
dims = {"XLAT": "Time, south_north, west_east", "XLONG": "Time, south_north, west_east",
        "U": "Time, bottom_top, south_north, west_east_stag", "V": "Time, bottom_top, south_north_stag, west_east",
        "W": "Time, bottom_top_stag, south_north, west_east", "PH": "Time, bottom_top_stag, south_north, west_east",
        "PHB": "Time, bottom_top_stag, south_north, west_east", "P": "Time, bottom_top, south_north, west_east",
        "PB": "Time, bottom_top, south_north, west_east", "T": "Time, bottom_top, south_north, west_east",
        "HGT": "Time, south_north, west_east", "PSFC": "Time, south_north, west_east", "PBLH": "Time, south_north, west_east",
        "COSALPHA": "Time, south_north, west_east", "SINALPHA": "Time, south_north, west_east",
        "ZNU": "Time, bottom_top", "ZNW": "Time, bottom_top_stag", "P_TOP": "Time"}
units = {"XLAT": "degree_north", "XLONG": "degree_east", "U": "m s-1", "V": "m s-1", "W": "m s-1", "PH": "m2 s-2",
         "PHB": "m2 s-2", "P": "Pa", "PB": "Pa", "T": "K", "HGT": "m", "PSFC": "Pa", "PBLH": "m", "COSALPHA": "",
         "SINALPHA": "", "ZNU": "", "ZNW": "", "P_TOP": "Pa"}
lines = ["// ncgen kind: none (classic netCDF-3; plain `ncgen -o out.nc file.cdl`)",
         "// Small WRF V3.8.1-style wrfout, Lambert conformal (MAP_PROJ=1, TRUELAT1 30, TRUELAT2 60, STAND_LON 113), 12x10 mass points,",
         "// 30-km cells, 3 mass levels, 2 times; analytic staggered fields. Written by make_wrf_analytic.py; formulas in README.md section 5.",
         "netcdf wrf_analytic {", "dimensions:", "\tTime = UNLIMITED ; // (2 currently)", "\tDateStrLen = 19 ;",
         f"\twest_east = {NX} ;", f"\tsouth_north = {NY} ;", f"\tbottom_top = {NZ} ;", f"\tbottom_top_stag = {NZ + 1} ;",
         f"\twest_east_stag = {NX + 1} ;", f"\tsouth_north_stag = {NY + 1} ;", "variables:", "\tchar Times(Time, DateStrLen) ;"]
for name in data:
    lines.append(f"\tfloat {name}({dims[name]}) ;")
    lines.append(f'\t\t{name}:units = "{units[name]}" ;')
lines += ["", "// global attributes:", '\t\t:TITLE = " OUTPUT FROM WRF V3.8.1 MODEL" ;', '\t\t:START_DATE = "2021-03-01_00:00:00" ;',
          f"\t\t:WEST-EAST_GRID_DIMENSION = {NX + 1} ;", f"\t\t:SOUTH-NORTH_GRID_DIMENSION = {NY + 1} ;", f"\t\t:BOTTOM-TOP_GRID_DIMENSION = {NZ + 1} ;",
          f"\t\t:DX = {DX}f ;", f"\t\t:DY = {DX}f ;", '\t\t:GRIDTYPE = "C" ;', f"\t\t:CEN_LAT = {CEN_LAT}f ;", f"\t\t:CEN_LON = {STAND_LON}f ;",
          f"\t\t:TRUELAT1 = {TL1}f ;", f"\t\t:TRUELAT2 = {TL2}f ;", f"\t\t:MOAD_CEN_LAT = {CEN_LAT}f ;", f"\t\t:STAND_LON = {STAND_LON}f ;",
          "\t\t:POLE_LAT = 90.f ;", "\t\t:POLE_LON = 0.f ;", "\t\t:MAP_PROJ = 1 ;", '\t\t:MAP_PROJ_CHAR = "Lambert Conformal" ;',
          "data:", "", ' Times =\n  "2021-03-01_00:00:00", "2021-03-01_03:00:00" ;']
for name, values in data.items():
    lines.append("")
    lines.append(f" {name} =\n    {block(values)} ;")
lines.append("}")
open("wrf_analytic.cdl", "w").write("\n".join(lines) + "\n")
