#ifndef MAXHUB_CARCHIVE_SHIM_H
#define MAXHUB_CARCHIVE_SHIM_H

#include <archive.h>
#include <archive_entry.h>

#endif
