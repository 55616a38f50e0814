# ct_embed(TARGET VAR FILE...): makes FILE's bytes available to C as
#   extern const char VAR_<name>[]; extern const size_t VAR_<name>_len;
# where <name> is the file name with non-identifier characters as '_'.
# The generated source is rebuilt when a data file changes.
function(ct_embed target prefix)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${prefix}_embedded.c)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DPREFIX=${prefix} "-DFILES=${ARGN}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${ARGN} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "embedding ${prefix} data")
  target_sources(${target} PRIVATE ${out})
endfunction()
