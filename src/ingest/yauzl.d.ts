// The part of yauzl 3's API that zip-disk.ts uses (@types/yauzl describes version 2, which lacks
// the low-level entry reading and file-name decoding used here).
declare module 'yauzl' {
  import type { EventEmitter } from 'node:events';

  export interface ExtraField {
    id: number;
    data: Buffer;
  }

  export interface Entry {
    generalPurposeBitFlag: number;
    compressionMethod: number;
    crc32: number;
    compressedSize: number;
    uncompressedSize: number;
    relativeOffsetOfLocalHeader: number;
    /** A Buffer when the archive is opened with `decodeStrings: false`. */
    fileName: Buffer | string;
    extraFields: ExtraField[];
    isEncrypted(): boolean;
  }

  export interface ZipFile extends EventEmitter {
    entryCount: number;
    fileSize: number;
    readEntry(): void;
    readLocalFileHeader(entry: Entry, options: { minimal: true }, callback: (err: Error | null, header: { fileDataStart: number }) => void): void;
    close(): void;
  }

  export interface Options {
    autoClose?: boolean;
    lazyEntries?: boolean;
    decodeStrings?: boolean;
    validateEntrySizes?: boolean;
    strictFileNames?: boolean;
  }

  export function open(path: string, options: Options, callback: (err: Error | null, zipfile: ZipFile) => void): void;
  export class RandomAccessReader extends EventEmitter {
    _readStreamForRange(start: number, end: number): NodeJS.ReadableStream;
    close(callback: (err: Error | null) => void): void;
  }
  export function fromRandomAccessReader(reader: RandomAccessReader, totalSize: number, options: Options, callback: (err: Error | null, zipfile: ZipFile) => void): void;
  export function fromBuffer(buffer: Buffer, options: Options, callback: (err: Error | null, zipfile: ZipFile) => void): void;
  export function getFileNameLowLevel(generalPurposeBitFlag: number, fileNameBuffer: Buffer, extraFields: ExtraField[], strictFileNames: boolean): string;
  export function validateFileName(fileName: string): string | null;
}
