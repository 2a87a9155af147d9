/**
 * Small, careful file input shared by the engine and the command line: refusing what is not a regular file (a FIFO,
 * a device, /proc) before reading it, and {@code .npy} arrays with their sizes checked before anything is allocated.
 */
package dev.goldfinch.engine.io;
