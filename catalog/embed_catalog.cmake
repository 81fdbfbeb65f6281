# Writes the catalog JSON into a C++ source file as a raw string literal.
file(READ ${INPUT} content)
string(FIND "${content}" ")catalog\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )catalog\"")
endif()
file(WRITE ${OUTPUT}.tmp
  "// Generated from qwen-models.json at build time. Do not edit.\n"
  "#include <string_view>\n"
  "namespace openclaw::qwen::catalog {\n"
  "extern const std::string_view kBundledCatalogJson;\n"
  "const std::string_view kBundledCatalogJson = R\"catalog(${content})catalog\";\n"
  "}\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
