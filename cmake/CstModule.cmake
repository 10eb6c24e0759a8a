# cst_embed_sql(<target> <dir> <symbol>): compiles every *.sql file of <dir> into the target as a
# sorted list of {name, text} pairs, so migrations ship inside the executable (no files to install).
function(cst_embed_sql target dir symbol)
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${symbol}_sql.cpp")
  set(body "// Generated from ${dir}: do not edit.\n#include \"db/migrations.hpp\"\n")
  string(APPEND body "namespace cst::db {\nconst std::vector<MigrationScript>& ${symbol}() {\n")
  string(APPEND body "  static const std::vector<MigrationScript> scripts = {\n")
  foreach(f IN LISTS sql_files)
    get_filename_component(name "${f}" NAME)
    file(READ "${f}" text)
    string(APPEND body "    {\"${name}\", R\"cstsql(${text})cstsql\"},\n")
  endforeach()
  string(APPEND body "  };\n  return scripts;\n}\n}  // namespace cst::db\n")
  file(GENERATE OUTPUT "${out}" CONTENT "${body}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sql_files})
  target_sources(${target} PRIVATE "${out}")
endfunction()

# cst_embed_text(<target> <symbol> <files...>): compiles the files into the target as
# `const std::vector<cst::xml::EmbeddedFile>& <symbol>()` in namespace cst::embedded (schemas the
# executable validates against: nothing to install, nothing to find at run time).
function(cst_embed_text target symbol)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${symbol}_embedded.cpp")
  set(body "// Generated: do not edit.\n#include \"xml/xml.hpp\"\n")
  string(APPEND body "namespace cst::embedded {\nconst std::vector<xml::EmbeddedFile>& ${symbol}() {\n")
  string(APPEND body "  static const std::vector<xml::EmbeddedFile> files = {\n")
  foreach(f IN LISTS ARGN)
    get_filename_component(name "${f}" NAME)
    file(READ "${f}" text)
    string(APPEND body "    {\"${name}\", R\"cstxml(${text})cstxml\"},\n")
  endforeach()
  string(APPEND body "  };\n  return files;\n}\n}  // namespace cst::embedded\n")
  file(GENERATE OUTPUT "${out}" CONTENT "${body}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ARGN})
  target_sources(${target} PRIVATE "${out}")
endfunction()

# cst_add_module(<name> SOURCES ... [DEPENDS other modules] [TESTS test sources]): the one way a
# module is built: library cst_<name> with its public include/ dir, its embedded migrations and,
# when tests are on, its test executable registered with CTest.
function(cst_add_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPENDS;TESTS" ${ARGN})
  add_library(cst_${name} STATIC ${M_SOURCES})
  target_include_directories(cst_${name} PUBLIC "${CMAKE_CURRENT_SOURCE_DIR}/include"
                                         PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
  set(deps cst_core)
  foreach(d IN LISTS M_DEPENDS)
    list(APPEND deps cst_${d})
  endforeach()
  target_link_libraries(cst_${name} PUBLIC ${deps})
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/migrations")
    cst_embed_sql(cst_${name} "${CMAKE_CURRENT_SOURCE_DIR}/migrations" ${name}Migrations)
  endif()
  if(CST_BUILD_TESTS AND M_TESTS)
    add_executable(cst_${name}_test ${M_TESTS})
    target_link_libraries(cst_${name}_test PRIVATE cst_${name} cst_testkit GTest::gtest_main)
    # Unit tests reach the module's private headers (model, service); integration tests use HTTP.
    target_include_directories(cst_${name}_test PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}")
    add_test(NAME ${name} COMMAND cst_${name}_test)
    # The module's integration tests again on PostgreSQL (testkit reads CST_TEST_POSTGRES_URL).
    if(CST_TEST_POSTGRES_URL)
      add_test(NAME ${name}_postgres COMMAND cst_${name}_test)
      set_tests_properties(${name}_postgres PROPERTIES
                           ENVIRONMENT "CST_TEST_POSTGRES_URL=${CST_TEST_POSTGRES_URL}")
    endif()
  endif()
endfunction()
