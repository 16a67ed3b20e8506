// The camt.053 schemas, embedded byte for byte from the schemas/ folder beside this file
// folder at compile time, so the binary never has to find them on disk.
#include "CCamtSchemas.h"

#if !defined(__has_embed)
#error "treasury-report embeds its XML schemas with #embed: build with Swift 6.1 or later (clang 19 or later)"
#endif

#pragma clang diagnostic ignored "-Wc23-extensions"

static const unsigned char camt_053_001_02[] = {
#embed "schemas/camt.053.001.02.xsd"
};

static const unsigned char camt_053_001_08[] = {
#embed "schemas/camt.053.001.08.xsd"
};

const unsigned char *CCamtSchemas_camt053(int version, size_t *size) {
  switch (version) {
  case 2:
    *size = sizeof camt_053_001_02;
    return camt_053_001_02;
  case 8:
    *size = sizeof camt_053_001_08;
    return camt_053_001_08;
  default:
    *size = 0;
    return NULL;
  }
}
