import type * as Y from 'yjs';

/** What a reader of live documents needs of the collab server (CollabServer satisfies it). */
export interface DocumentReader {
	read<T>(docName: string, reader: (doc: Y.Doc) => T): Promise<T>;
}
