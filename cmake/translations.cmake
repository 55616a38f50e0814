# Compiles po/<lang>/*.po (one file per module, so modules translate
# independently) into build/locale/C.UTF-8/LC_MESSAGES/ctip-<lang>.mo; see
# src/core/i18n.h for why the directory is C.UTF-8. A new language is a new
# po/<lang>/ folder: no code changes.
find_program(MSGFMT msgfmt REQUIRED)
find_program(MSGCAT msgcat REQUIRED)
file(GLOB CT_PO_LANGS LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/po/*)
set(CT_MO_FILES)
foreach(dir ${CT_PO_LANGS})
  if(NOT IS_DIRECTORY ${dir})
    continue()
  endif()
  get_filename_component(lang ${dir} NAME)
  file(GLOB pos ${dir}/*.po)
  set(cat ${CMAKE_BINARY_DIR}/po/${lang}.po)
  set(mo ${CMAKE_BINARY_DIR}/locale/C.UTF-8/LC_MESSAGES/ctip-${lang}.mo)
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/po
            ${CMAKE_BINARY_DIR}/locale/C.UTF-8/LC_MESSAGES
    COMMAND ${MSGCAT} --use-first --to-code=UTF-8 -o ${cat} ${pos}
    COMMAND ${MSGFMT} --check-format -o ${mo} ${cat}
    DEPENDS ${pos} COMMENT "translations: ${lang}")
  list(APPEND CT_MO_FILES ${mo})
  install(FILES ${mo} DESTINATION share/ctip/locale/C.UTF-8/LC_MESSAGES)
endforeach()
add_custom_target(translations ALL DEPENDS ${CT_MO_FILES})
