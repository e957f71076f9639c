// Guarded include of libnetcdf. The first compiler error says how to install it.
#ifndef UPWIND_CNETCDF_SHIM_H
#define UPWIND_CNETCDF_SHIM_H

#if __has_include(<netcdf.h>)
#include <netcdf.h>
#include <netcdf_meta.h>
#else
#error "libnetcdf is not installed (netcdf.h not found). Install it, then rebuild: Debian/Ubuntu: sudo apt-get install libnetcdf-dev pkg-config netcdf-bin | Fedora: sudo dnf install netcdf-devel pkgconf-pkg-config | macOS: brew install netcdf pkg-config | or simply run: make bootstrap"
#endif

#if defined(NC_VERSION_MAJOR) && defined(NC_VERSION_MINOR)
#if NC_VERSION_MAJOR < 4 || (NC_VERSION_MAJOR == 4 && NC_VERSION_MINOR < 7)
#error "libnetcdf older than 4.7 is not supported. Upgrade it: Debian/Ubuntu: sudo apt-get install libnetcdf-dev | Fedora: sudo dnf install netcdf-devel | macOS: brew upgrade netcdf"
#endif
#endif

#endif
