# The browser UI (web/): built by Vite into static files, which are then
# compiled into the binary as a table of assets (src/http/static.c serves
# them at /). `npm ci` runs when web/package-lock.json changes; `vite
# build` when a file under web/ changes.
#
# CT_WEB=OFF builds without Node.js: / then serves a page saying so.
option(CT_WEB "Build the browser UI (needs Node.js and npm)" ON)

# ct_web_assets(TARGET): adds the generated asset table to TARGET (called
# where TARGET is defined, so the custom commands are in its directory).
function(ct_web_assets target)
set(CT_WEB_ASSETS_C ${CMAKE_CURRENT_BINARY_DIR}/web_assets.c)
set(ct_web_src ${CMAKE_SOURCE_DIR}/web)
set(ct_web_out ${CMAKE_BINARY_DIR}/web)

if(CT_WEB)
  find_program(CT_NPM npm)
  find_program(CT_NODE node)
  if(NOT CT_NPM OR NOT CT_NODE)
    message(FATAL_ERROR "the web UI needs node and npm (scripts/deps.sh installs them), "
                        "or configure with -DCT_WEB=OFF")
  endif()
  file(GLOB_RECURSE ct_web_inputs CONFIGURE_DEPENDS
       ${ct_web_src}/src/* ${ct_web_src}/public/* ${ct_web_src}/locales/*)
  list(APPEND ct_web_inputs ${ct_web_src}/index.html ${ct_web_src}/vite.config.js)
  add_custom_command(OUTPUT ${ct_web_out}/npm.stamp
    COMMAND ${CT_NPM} ci --no-audit --no-fund --loglevel=error
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ct_web_out}
    COMMAND ${CMAKE_COMMAND} -E touch ${ct_web_out}/npm.stamp
    DEPENDS ${ct_web_src}/package.json ${ct_web_src}/package-lock.json
    WORKING_DIRECTORY ${ct_web_src}
    COMMENT "web: npm ci"
    VERBATIM)
  add_custom_command(OUTPUT ${CT_WEB_ASSETS_C}
    COMMAND ${CT_NODE} node_modules/vite/bin/vite.js build --logLevel warn
            --outDir ${ct_web_out}/dist --emptyOutDir
    COMMAND ${CMAKE_COMMAND} -DDIR=${ct_web_out}/dist -DOUT=${CT_WEB_ASSETS_C}
            -P ${CMAKE_SOURCE_DIR}/cmake/web_embed.cmake
    DEPENDS ${ct_web_inputs} ${ct_web_out}/npm.stamp ${CMAKE_SOURCE_DIR}/cmake/web_embed.cmake
    WORKING_DIRECTORY ${ct_web_src}
    COMMENT "web: vite build"
    VERBATIM)
else()
  add_custom_command(OUTPUT ${CT_WEB_ASSETS_C}
    COMMAND ${CMAKE_COMMAND} -DDIR= -DOUT=${CT_WEB_ASSETS_C}
            -P ${CMAKE_SOURCE_DIR}/cmake/web_embed.cmake
    DEPENDS ${CMAKE_SOURCE_DIR}/cmake/web_embed.cmake
    COMMENT "web: UI not built (CT_WEB=OFF)"
    VERBATIM)
endif()
target_sources(${target} PRIVATE ${CT_WEB_ASSETS_C})
endfunction()
