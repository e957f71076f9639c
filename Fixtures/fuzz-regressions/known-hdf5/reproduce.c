/* Opens a netCDF file with libnetcdf alone (no Upwind code): on the corrupt file next to this
   one, HDF5 1.10.8 (Debian 12) frees an invalid pointer inside nc_open
   (H5G__link_release_table -> H5O_msg_reset -> H5MM_xfree).
   Build and run under AddressSanitizer to see it on every run:
     gcc -fsanitize=address -g reproduce.c -o reproduce $(pkg-config --cflags --libs netcdf hdf5)
     ./reproduce era5_cds-nc4-16102-inverted.nc                                              */
#include <netcdf.h>
#include <stdio.h>

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s FILE.nc\n", argv[0]); return 2; }
    int id;
    int status = nc_open(argv[1], NC_NOWRITE, &id);
    printf("%d %s\n", status, nc_strerror(status));
    if (status == NC_NOERR) nc_close(id);
    return 0;
}
