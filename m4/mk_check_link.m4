dnl MK_CHECK_LINK(FLAGS, PROGRAM, MESSAGE)
dnl Fails configure with MESSAGE unless PROGRAM compiles and links with
dnl FLAGS added to CFLAGS and LDFLAGS.
AC_DEFUN([MK_CHECK_LINK], [
	AC_MSG_CHECKING([whether $CC links with $1])
	mk_save_CFLAGS=$CFLAGS
	mk_save_LDFLAGS=$LDFLAGS
	CFLAGS="$CFLAGS $1"
	LDFLAGS="$LDFLAGS $1"
	AC_LINK_IFELSE([AC_LANG_SOURCE([$2])], [mk_ok=yes], [mk_ok=no])
	CFLAGS=$mk_save_CFLAGS
	LDFLAGS=$mk_save_LDFLAGS
	AC_MSG_RESULT([$mk_ok])
	AS_IF([test "$mk_ok" = yes], [], [AC_MSG_ERROR([$3])])
])
