#ifndef TREASURY_REPORT_CLIBXML2_SHIM_H
#define TREASURY_REPORT_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, and <libxml/encoding.h> then includes the
// system's ICU headers, whose types clash with the ICU module Foundation
// bundles. Only the tail of xmlCharEncodingHandler depends on it, a struct we
// never allocate or look inside (we pass no encoder), so leave ICU out.
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

// libxml2 2.12 changed structured error handlers from `xmlErrorPtr` to
// `const xmlError *`. These wrappers take the const form and cast, so the one
// Swift callback compiles against either version.
typedef void (*CLibXML2_ErrorSink)(void *context, const xmlError *error);

static inline void CLibXML2_setReaderErrors(xmlTextReaderPtr reader, CLibXML2_ErrorSink sink, void *context) {
  xmlTextReaderSetStructuredErrorHandler(reader, (xmlStructuredErrorFunc)sink, context);
}

static inline void CLibXML2_setSchemaParserErrors(xmlSchemaParserCtxtPtr parser, CLibXML2_ErrorSink sink,
                                                  void *context) {
  xmlSchemaSetParserStructuredErrors(parser, (xmlStructuredErrorFunc)sink, context);
}

static inline void CLibXML2_setSchemaValidErrors(xmlSchemaValidCtxtPtr validator, CLibXML2_ErrorSink sink,
                                                 void *context) {
  xmlSchemaSetValidStructuredErrors(validator, (xmlStructuredErrorFunc)sink, context);
}

// The calling thread's handler for errors raised without a context (the
// writer's): replaces libxml2's default, which prints to stderr.
static inline void CLibXML2_setThreadErrors(CLibXML2_ErrorSink sink, void *context) {
  xmlSetStructuredErrorFunc(context, (xmlStructuredErrorFunc)sink);
}

// A SAX handler's structured error callback, in the const form (see above).
static inline void CLibXML2_setSAXErrors(xmlSAXHandler *sax, CLibXML2_ErrorSink sink) {
  sax->serror = (xmlStructuredErrorFunc)sink;
}

// libxml2 prints some messages through its printf-style generic channel
// (the schema validator's "Unimplemented block at xmlschemas.c:…", one per
// entity reference it meets): a variadic C function, which Swift cannot
// write, drops them for the calling thread.
static inline void CLibXML2_dropGenericError(void *context, const char *message, ...) {
  (void)context;
  (void)message;
}

static inline void CLibXML2_silenceGenericErrors(void) { xmlSetGenericErrorFunc(NULL, CLibXML2_dropGenericError); }

#endif
