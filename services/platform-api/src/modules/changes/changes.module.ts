import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HeapRelease } from '../../common/memory/heap-release';
import { Change, ChangeSchema } from './change.schema';
import { ChangeFeed } from './change-feed.service';
import { Revision, RevisionSchema } from './revision.schema';

@Global()
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Change.name, schema: ChangeSchema },
      { name: Revision.name, schema: RevisionSchema },
    ]),
  ],
  providers: [ChangeFeed, HeapRelease],
  exports: [ChangeFeed],
})
export class ChangesModule {}
