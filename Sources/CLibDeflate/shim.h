#ifndef TREASURY_REPORT_CLIBDEFLATE_SHIM_H
#define TREASURY_REPORT_CLIBDEFLATE_SHIM_H

// No `link` in module.modulemap: Package.swift links libdeflate.a (from libdeflate-dev) into the binary, so the
// installed tool needs no libdeflate at run time.
#include <libdeflate.h>

#endif
