/* copytree.h - copy a directory's contents into another (for "tmpcopyup").
 *
 * Directories, regular files, symlinks, device nodes, fifos and sockets,
 * with their mode, owner and times; never follows a symlink.  No heap:
 * one small buffer per level on the stack. */
#ifndef HULL_COPYTREE_H
#define HULL_COPYTREE_H

/* Copy the entries of src_dir (an fd opened O_RDONLY|O_DIRECTORY) into
 * dst_dir (any fd of a directory, O_PATH is fine).  -1 with the error set. */
int copy_tree(int src_dir, int dst_dir);

#endif
