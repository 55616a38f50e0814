# ct_embed(TARGET VAR FILE...): makes FILE's bytes available to C as
#   extern const char VAR_<name>[]; extern const size_t VAR_<name>_len;
# where <name> is the file name with non-identifier characters as '_'
# (a leading digit is kept: 001_init.sql gives VAR_001_init_sql).
# The generated source is rebuilt when a data file changes.
function(ct_embed target prefix)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${prefix}_embedded.c)
  set(files)
  foreach(f ${ARGN})
    get_filename_component(abs ${f} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND files ${abs})
  endforeach()
  # a list would be split into separate arguments: pass it '|'-joined
  string(REPLACE ";" "|" joined "${files}")
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DPREFIX=${prefix} "-DFILES=${joined}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "embedding ${prefix} data"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
