#ifndef TREASURY_REPORT_CCAMTSCHEMAS_H
#define TREASURY_REPORT_CCAMTSCHEMAS_H

#include <stddef.h>

/// The official camt.053.001.<version> XSD (2 or 8) as embedded at compile
/// time, or NULL for a version that is not embedded.
const unsigned char *CCamtSchemas_camt053(int version, size_t *size);

#endif
