# `cmake --install` gives the headers, the static libraries, a CMake package
# (find_package(poolheap) -> poolheap::poolheap) and a pkg-config file.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS poolheap EXPORT poolheapTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET poolheap_malloc)
  install(TARGETS poolheap_malloc EXPORT poolheapTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()
install(EXPORT poolheapTargets NAMESPACE poolheap:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/poolheap)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/poolheapConfig.cmake.in
  ${PROJECT_BINARY_DIR}/poolheapConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/poolheap)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/poolheapConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/poolheapConfig.cmake ${PROJECT_BINARY_DIR}/poolheapConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/poolheap)

set(POOLHEAP_PC_CFLAGS "-DPOOLHEAP_STATS=$<BOOL:${POOLHEAP_STATS}> -DPOOLHEAP_DEBUG=$<BOOL:${POOLHEAP_DEBUG}> -DPOOLHEAP_TRACE=$<BOOL:${POOLHEAP_TRACE}> -DPOOLHEAP_TRACE_CALLER=$<BOOL:${POOLHEAP_TRACE_CALLER}>")
# From the .pc file's folder back up to the prefix (lib/pkgconfig -> ../..).
file(RELATIVE_PATH POOLHEAP_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/cmake/poolheap.pc.in ${PROJECT_BINARY_DIR}/poolheap.pc.configured @ONLY)
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/poolheap.pc INPUT ${PROJECT_BINARY_DIR}/poolheap.pc.configured)
install(FILES ${PROJECT_BINARY_DIR}/poolheap.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
