#!/usr/bin/env python3
"""Writes the CDL fixtures of the variable-recognition and float32-coordinate tests
(Fixtures/cdl/README.md §4): metnames_cf.cdl, metnames_arl.cdl, metnames_longname.cdl,
latlon_float32.cdl and projected_lcc_float32.cdl. Standard library only; run it from this
folder (`python3 make_metnames.py`). The values come from the formulas of README §4."""
import math
import struct

LONS = [104 + 2 * i for i in range(12)]        # 104 … 126
LATS = [24 + 2 * j for j in range(9)]          # 24 … 40
LEVELS = [1000, 850, 700, 500]                 # hPa
HOURS = [0, 12, 24]                            # hours since 2024-01-01 00:00 UTC


def U(lon, lat, p, h): return 4 + 0.2 * (lon - 115) - 0.1 * (lat - 32) - 0.004 * (p - 850) + 0.05 * h
def V(lon, lat, p, h): return 1 + 0.1 * (lon - 115) + 0.15 * (lat - 32) + 0.002 * (p - 850) - 0.03 * h
def OMEGA(lon, lat, p, h): return -0.05 + 0.004 * (lon - 115) + 0.003 * (lat - 32) + 0.0001 * (p - 850) + 0.001 * h
def HGT(lon, lat, p, h): return 44330.8 * (1 - (p / 1013.25) ** 0.190263) + 2 * (lat - 32) + (lon - 115) + 0.5 * h
def T(lon, lat, p, h): return 220 + 0.07 * p - 0.2 * (lat - 32) + 0.05 * (lon - 115) + 0.02 * h
def RH(lon, lat, p, h): return 60 + (lon - 115) - 0.5 * (lat - 32) + 0.01 * (p - 850)
def Q(lon, lat, p, h): return 0.008 + 0.0001 * (lon - 115) - 0.0002 * (lat - 32) + 0.00001 * (p - 850)
def PS(lon, lat, h): return 100000 + 50 * (lon - 115) - 80 * (lat - 32) + 10 * h
def OROG(lon, lat): return 200 + 10 * (lon - 115) + 5 * (lat - 32)
def BLH(lon, lat, h): return 800 + 20 * (lon - 115) + 10 * (lat - 32) + 15 * h
def MSLP(lon, lat, h): return 1012 + 0.5 * (lon - 115) - 0.8 * (lat - 32) + 0.1 * h


def f32(x):
    """x rounded to float32."""
    return struct.unpack("f", struct.pack("f", x))[0]


def fmt(x):
    # 9 significant digits identify a float32 exactly.
    return "%.9g" % f32(x)


def block(values, per_line=8):
    lines = []
    for i in range(0, len(values), per_line):
        lines.append("    " + ", ".join(fmt(v) for v in values[i:i + per_line]))
    return ",\n".join(lines)


def three_d(f, scale=1.0):
    return [scale * f(lon, lat, p, h) for h in HOURS for p in LEVELS for lat in LATS for lon in LONS]


def two_d(f, scale=1.0, timed=True):
    if timed:
        return [scale * f(lon, lat, h) for h in HOURS for lat in LATS for lon in LONS]
    return [scale * f(lon, lat) for lat in LATS for lon in LONS]


def near_surface(f, scale=1.0):
    return [scale * f(lon, lat, 1000, h) for h in HOURS for lat in LATS for lon in LONS]


def lat_lon_file(name, comment, variables):
    """variables: list of (name, dims ('3d', '2d', 'static'), attributes [(k, v)], values)."""
    dims = {"3d": "(time, level, lat, lon)", "2d": "(time, lat, lon)", "static": "(lat, lon)"}
    out = [f"// ncgen kind: none (classic netCDF-3; plain `ncgen -o out.nc {name}.cdl`)"]
    out += [f"// {c}" for c in comment]
    out.append("// Written by make_metnames.py; formulas in Fixtures/cdl/README.md §4.")
    out.append(f"netcdf {name} {{")
    out.append("dimensions:")
    out.append(f"\ttime = {len(HOURS)} ;\n\tlevel = {len(LEVELS)} ;\n\tlat = {len(LATS)} ;\n\tlon = {len(LONS)} ;")
    out.append("variables:")
    out.append('\tdouble time(time) ;\n\t\ttime:standard_name = "time" ;\n\t\ttime:units = "hours since 2024-01-01 00:00:00" ;')
    out.append('\tfloat level(level) ;\n\t\tlevel:units = "hPa" ;\n\t\tlevel:positive = "down" ;\n\t\tlevel:axis = "Z" ;')
    out.append('\tfloat lat(lat) ;\n\t\tlat:units = "degrees_north" ;')
    out.append('\tfloat lon(lon) ;\n\t\tlon:units = "degrees_east" ;')
    for vname, kind, attrs, _ in variables:
        out.append(f"\tfloat {vname}{dims[kind]} ;")
        for k, v in attrs:
            out.append(f'\t\t{vname}:{k} = "{v}" ;')
    out.append("\n// global attributes:\n\t\t:Conventions = \"CF-1.8\" ;")
    out.append("data:\n")
    out.append(" time = " + ", ".join(str(h) for h in HOURS) + " ;\n")
    out.append(" level = " + ", ".join(str(p) for p in LEVELS) + " ;\n")
    out.append(" lat = " + ", ".join(str(x) for x in LATS) + " ;\n")
    out.append(" lon = " + ", ".join(str(x) for x in LONS) + " ;\n")
    for vname, _, _, values in variables:
        out.append(f" {vname} =\n{block(values)} ;\n")
    out.append("}")
    with open(name + ".cdl", "w") as fh:
        fh.write("\n".join(out) + "\n")


# 1. CF standard names (the reference).
lat_lon_file("metnames_cf", ["The variables of §4 identified by CF standard_name, in the roles' units (the reference)."], [
    ("u", "3d", [("standard_name", "eastward_wind"), ("units", "m s-1")], three_d(U)),
    ("v", "3d", [("standard_name", "northward_wind"), ("units", "m s-1")], three_d(V)),
    ("w", "3d", [("standard_name", "lagrangian_tendency_of_air_pressure"), ("units", "Pa s-1")], three_d(OMEGA)),
    ("zg", "3d", [("standard_name", "geopotential_height"), ("units", "m")], three_d(HGT)),
    ("ta", "3d", [("standard_name", "air_temperature"), ("units", "K")], three_d(T)),
    ("hur", "3d", [("standard_name", "relative_humidity"), ("units", "%")], three_d(RH)),
    ("hus", "3d", [("standard_name", "specific_humidity"), ("units", "kg kg-1")], three_d(Q)),
    ("ps", "2d", [("standard_name", "surface_air_pressure"), ("units", "Pa")], two_d(PS)),
    ("orog", "static", [("standard_name", "surface_altitude"), ("units", "m")], two_d(OROG, timed=False)),
    ("blh", "2d", [("standard_name", "atmosphere_boundary_layer_thickness"), ("units", "m")], two_d(BLH)),
])

# 2. HYSPLIT ARL names in capitals, no standard_name or long_name; some without units (ARL units implied).
lat_lon_file("metnames_arl", ["The same data under HYSPLIT's ARL names and units: WWND hPa/s, PRSS hPa.",
                              "UWND, VWND, WWND, PRSS and PBLH have no units attribute (the ARL units are implied).",
                              "U10M/V10M/T02M (2-D) must lose to UWND/VWND/TEMP; MSLP plays no role."], [
    ("UWND", "3d", [], three_d(U)),
    ("VWND", "3d", [], three_d(V)),
    ("WWND", "3d", [], three_d(OMEGA, 0.01)),
    ("HGTS", "3d", [("units", "m")], three_d(HGT)),
    ("TEMP", "3d", [("units", "K")], three_d(T)),
    ("RELH", "3d", [("units", "%")], three_d(RH)),
    ("SPHU", "3d", [("units", "kg/kg")], three_d(Q)),
    ("PRSS", "2d", [], two_d(PS, 0.01)),
    ("SHGT", "static", [("units", "m")], two_d(OROG, timed=False)),
    ("PBLH", "2d", [], two_d(BLH)),
    ("U10M", "2d", [("units", "m/s")], near_surface(U)),
    ("V10M", "2d", [("units", "m/s")], near_surface(V)),
    ("T02M", "2d", [("units", "K")], near_surface(T)),
    ("MSLP", "2d", [("units", "hPa")], two_d(MSLP)),
])

# 3. Only long_name identifies the variables; units in other spellings and other units.
lat_lon_file("metnames_longname", ["The same data, variables named var<GRIB code> and identified only by long_name,",
                                   "with units spelled M/S, meters/second, hPa/s (values in hPa/s), gpm, degC (values in",
                                   "degrees Celsius), Pa, g/kg (values in g/kg)."], [
    ("var131", "3d", [("long_name", "ZONAL WIND"), ("units", "M/S")], three_d(U)),
    ("var132", "3d", [("long_name", "northward_wind"), ("units", "meters/second")], three_d(V)),
    ("var135", "3d", [("long_name", "Pressure vertical velocity"), ("units", "hPa/s")], three_d(OMEGA, 0.01)),
    ("var7", "3d", [("long_name", "Geopotential_Height"), ("units", "gpm")], three_d(HGT)),
    ("var130", "3d", [("long_name", "air temperature"), ("units", "degC")], [x - 273.15 for x in three_d(T)]),
    ("var52", "3d", [("long_name", "Relative  humidity"), ("units", "percent")], three_d(RH)),
    ("var133", "3d", [("long_name", "specific-humidity"), ("units", "g/kg")], three_d(Q, 1000)),
    ("var134", "2d", [("long_name", "Surface pressure"), ("units", "Pa")], two_d(PS)),
    ("var129", "static", [("long_name", "orography"), ("units", "m")], two_d(OROG, timed=False)),
    ("var159", "2d", [("long_name", "Boundary layer height"), ("units", "m")], two_d(BLH)),
])

# 4. A 0.1-degree latitude-longitude grid whose axes are float32.
flons = [100 + 0.1 * i for i in range(31)]    # 100.0 … 103.0
flats = [30 + 0.1 * j for j in range(21)]     # 30.0 … 32.0
with open("latlon_float32.cdl", "w") as fh:
    fh.write("// ncgen kind: none (classic netCDF-3)\n")
    fh.write("// A 0.1-degree grid whose lat/lon are float32 (written as 30.1f…, so the stored gaps differ by ~1e-6 degree).\n")
    fh.write("// Written by make_metnames.py; u = U, v = V of README §4 at 850 hPa.\n")
    fh.write("netcdf latlon_float32 {\ndimensions:\n\ttime = 2 ;\n\tlat = %d ;\n\tlon = %d ;\nvariables:\n" % (len(flats), len(flons)))
    fh.write('\tdouble time(time) ;\n\t\ttime:units = "hours since 2024-01-01 00:00:00" ;\n')
    fh.write('\tfloat lat(lat) ;\n\t\tlat:units = "degrees_north" ;\n\tfloat lon(lon) ;\n\t\tlon:units = "degrees_east" ;\n')
    fh.write('\tfloat u(time, lat, lon) ;\n\t\tu:standard_name = "eastward_wind" ;\n\t\tu:units = "m s-1" ;\n')
    fh.write('\tfloat v(time, lat, lon) ;\n\t\tv:standard_name = "northward_wind" ;\n\t\tv:units = "m s-1" ;\n')
    fh.write("data:\n\n time = 0, 24 ;\n\n")
    fh.write(" lat = " + ", ".join(fmt(x) for x in flats) + " ;\n\n")
    fh.write(" lon = " + ", ".join(fmt(x) for x in flons) + " ;\n\n")
    fh.write(" u =\n" + block([U(lon, lat, 850, h) for h in (0, 24) for lat in flats for lon in flons]) + " ;\n\n")
    fh.write(" v =\n" + block([V(lon, lat, 850, h) for h in (0, 24) for lat in flats for lon in flons]) + " ;\n}\n")

# 5. A Lambert conformal grid (2.5 km) whose projection x/y are float32 with an origin that is not a whole metre.
R = 6371229.0
LAT1, LON0 = 30.0, 115.0
NX, NY, DX = 24, 20, 2500.0
X0, Y0 = -1_080_000.95, -1_060_000.3


def lcc_inverse(x, y):
    """(lat, lon) of projection (x, y) on the tangent cone at LAT1, origin (LAT1, LON0), sphere R."""
    f1 = math.radians(LAT1)
    n = math.sin(f1)
    F = math.cos(f1) * math.tan(math.pi / 4 + f1 / 2) ** n / n
    rho0 = R * F / math.tan(math.pi / 4 + f1 / 2) ** n
    dy = rho0 - y
    rho = math.copysign(math.hypot(x, dy), n)
    theta = math.atan2(x, dy)
    lat = 2 * math.atan((R * F / rho) ** (1 / n)) - math.pi / 2
    return math.degrees(lat), LON0 + math.degrees(theta / n)


xs = [X0 + i * DX for i in range(NX)]
ys = [Y0 + j * DX for j in range(NY)]
nodes = [[lcc_inverse(x, y) for x in xs] for y in ys]
with open("projected_lcc_float32.cdl", "w") as fh:
    fh.write("// ncgen kind: none (classic netCDF-3)\n")
    fh.write("// A CF Lambert conformal grid (tangent at 30N, central meridian 115E, sphere 6371229 m), 2.5 km cells,\n")
    fh.write("// whose projection x/y are float32: x = -1080000.95 + 2500 i, y = -1060000.3 + 2500 j rounded to float32\n")
    fh.write("// (the float32 spacing halves at 2^20 m, so the gaps differ by up to 6 cm: more than 1e-6 of the step). u/v = U/V of README §4 at the nodes' exact lat/lon (eastward/northward).\n")
    fh.write("// Written by make_metnames.py.\n")
    fh.write("netcdf projected_lcc_float32 {\ndimensions:\n\ttime = 2 ;\n\tlevel = 2 ;\n\ty = %d ;\n\tx = %d ;\nvariables:\n" % (NY, NX))
    fh.write('\tdouble time(time) ;\n\t\ttime:standard_name = "time" ;\n\t\ttime:units = "hours since 2024-01-01 00:00:00" ;\n')
    fh.write('\tfloat level(level) ;\n\t\tlevel:standard_name = "air_pressure" ;\n\t\tlevel:units = "hPa" ;\n')
    fh.write('\tfloat y(y) ;\n\t\ty:standard_name = "projection_y_coordinate" ;\n\t\ty:units = "m" ;\n')
    fh.write('\tfloat x(x) ;\n\t\tx:standard_name = "projection_x_coordinate" ;\n\t\tx:units = "m" ;\n')
    fh.write('\tint crs ;\n\t\tcrs:grid_mapping_name = "lambert_conformal_conic" ;\n\t\tcrs:standard_parallel = 30. ;\n')
    fh.write('\t\tcrs:longitude_of_central_meridian = 115. ;\n\t\tcrs:latitude_of_projection_origin = 30. ;\n\t\tcrs:earth_radius = 6371229. ;\n')
    for name, sn in (("u", "eastward_wind"), ("v", "northward_wind")):
        fh.write(f'\tfloat {name}(time, level, y, x) ;\n\t\t{name}:standard_name = "{sn}" ;\n\t\t{name}:units = "m s-1" ;\n')
        fh.write(f'\t\t{name}:grid_mapping = "crs" ;\n')
    fh.write("data:\n\n time = 0, 24 ;\n\n level = 850, 500 ;\n\n")
    fh.write(" y = " + ", ".join(fmt(v) for v in ys) + " ;\n\n")
    fh.write(" x = " + ", ".join(fmt(v) for v in xs) + " ;\n\n crs = 0 ;\n\n")
    for name, f in (("u", U), ("v", V)):
        values = [f(nodes[j][i][1], nodes[j][i][0], p, h) for h in (0, 24) for p in (850, 500) for j in range(NY) for i in range(NX)]
        fh.write(f" {name} =\n" + block(values) + " ;\n\n")
    fh.write("}\n")
